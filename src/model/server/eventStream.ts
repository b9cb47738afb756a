// Reads an OpenAI-style streamed answer: the body's bytes → text → server-sent events → one JSON
// object per `data:` event, until `data: [DONE]` or the body's end. A body silent for longer than
// the idle limit is a stalled stream; an event whose data is not JSON is a malformed one; a body that
// ends before `[DONE]` ended early (the caller decides whether the answer was complete anyway).
import { createSseParser } from './sseParser';

export type StreamFailure = { kind: 'stalled' } | { kind: 'ended' } | { kind: 'malformed'; what: string };

export class StreamBroken extends Error {
  constructor(readonly failure: StreamFailure) {
    super(failure.kind === 'malformed' ? `malformed stream: ${failure.what}` : `stream ${failure.kind}`);
  }
}

export async function* streamedJson(body: ReadableStream<Uint8Array>, idleMs: number): AsyncGenerator<Record<string, unknown>> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const ready: string[] = [];
  const parser = createSseParser({ onEvent: (event) => ready.push(event.data) });
  try {
    for (;;) {
      const { done, value } = await readWithin(reader, idleMs);
      parser.feed(done ? decoder.decode() : decoder.decode(value, { stream: true }));
      if (done) parser.end();
      while (ready.length > 0) {
        const data = ready.shift()!;
        if (data.trim() === '[DONE]') return;
        yield parseChunk(data);
      }
      if (done) throw new StreamBroken({ kind: 'ended' });
    }
  } finally {
    // Ends the request too when the caller stops early (a stop string, a cancelled completion).
    reader.cancel().catch(() => undefined);
  }
}

function parseChunk(data: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new StreamBroken({ kind: 'malformed', what: `event data is not JSON: ${data.slice(0, 120)}` });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new StreamBroken({ kind: 'malformed', what: `event data is not an object: ${data.slice(0, 120)}` });
  return parsed as Record<string, unknown>;
}

async function readWithin(reader: ReadableStreamDefaultReader<Uint8Array>, idleMs: number): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StreamBroken({ kind: 'stalled' })), idleMs);
  });
  try {
    return await Promise.race([reader.read(), idle]);
  } finally {
    clearTimeout(timer);
  }
}
