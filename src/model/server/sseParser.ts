// Server-sent events as the WHATWG HTML standard defines them: lines end in LF, CR or CRLF (also when
// a chunk boundary splits the CRLF), `data:` lines join with LF, a blank line dispatches, a line
// starting with `:` is a comment, one space after the colon is dropped, a leading BOM is ignored.
// Callers see only createSseParser's shape, which is the `eventsource-parser` package's, so the
// package can take this file's place without touching them.

export interface SseEvent {
  /** The `event:` field; undefined for the default ("message"). */
  event?: string;
  id?: string;
  data: string;
}

export interface SseHandlers {
  onEvent(event: SseEvent): void;
  onComment?(comment: string): void;
}

export interface SseParser {
  /** Text as it arrives, cut anywhere. */
  feed(chunk: string): void;
  /** Forgets a half-read event (a new stream starts). */
  reset(): void;
}

export function createSseParser(handlers: SseHandlers): SseParser {
  let pending = '';
  let first = true;
  /** The last chunk ended in CR: an LF starting the next one belongs to that line end. */
  let afterCr = false;
  let data: string[] = [];
  let event: string | undefined;
  let id: string | undefined;
  let lastId: string | undefined;

  const dispatch = () => {
    if (data.length > 0) {
      if (id !== undefined) lastId = id;
      handlers.onEvent({ ...(event !== undefined ? { event } : {}), ...(lastId !== undefined ? { id: lastId } : {}), data: data.join('\n') });
    }
    data = [];
    event = undefined;
    id = undefined;
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return handlers.onComment?.(text.slice(1).replace(/^ /, ''));
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
    // `retry` and unknown fields are ignored: the caller never reconnects by itself.
  };

  return {
    feed(chunk) {
      let text = chunk;
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (afterCr && text.startsWith('\n')) text = text.slice(1);
      afterCr = false;
      pending += text;
      let start = 0;
      for (let i = 0; i < pending.length; i++) {
        const c = pending[i];
        if (c !== '\n' && c !== '\r') continue;
        line(pending.slice(start, i));
        if (c === '\r') {
          if (i + 1 < pending.length && pending[i + 1] === '\n') i++;
          else if (i + 1 === pending.length) afterCr = true;
        }
        start = i + 1;
      }
      pending = pending.slice(start);
    },
    reset() {
      pending = '';
      first = true;
      afterCr = false;
      data = [];
      event = undefined;
      id = undefined;
      lastId = undefined;
    },
  };
}
