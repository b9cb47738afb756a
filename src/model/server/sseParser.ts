// Server-sent events, parsed by the well-kept `eventsource-parser` package (WHATWG rules: LF, CR or
// CRLF line ends also split across chunks, `data:` lines joined with LF, comments). This file is the
// one place that names the package, so the rest of the backend depends on a shape.
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type SseEvent = EventSourceMessage;

export interface SseHandlers {
  onEvent(event: SseEvent): void;
  onComment?(comment: string): void;
}

export interface SseParser {
  /** Text as it arrives, cut anywhere. */
  feed(chunk: string): void;
  /** The stream ended: a line the last chunk ended with a bare CR is complete after all. */
  end(): void;
  /** Forgets a half-read event (a new stream starts). */
  reset(): void;
}

const BOM = '\uFEFF';

export function createSseParser(handlers: SseHandlers): SseParser {
  const parser = createParser({ onEvent: handlers.onEvent, ...(handlers.onComment ? { onComment: handlers.onComment } : {}) });
  let first = true;
  let endsInCr = false;
  return {
    feed: (chunk) => {
      // The standard drops one byte-order mark at the start of the stream (TextDecoder does too).
      parser.feed(first && chunk.startsWith(BOM) ? chunk.slice(1) : chunk);
      if (chunk !== '') {
        first = false;
        endsInCr = chunk.endsWith('\r');
      }
    },
    // A final bare CR is still waiting to see whether an LF follows: an LF completes that line end
    // and changes nothing else. Anything else left over is a half-sent event, dropped.
    end: () => {
      if (endsInCr) parser.feed('\n');
      parser.reset();
    },
    reset: () => {
      first = true;
      endsInCr = false;
      parser.reset();
    },
  };
}
