// The stand-in server's text from Inkling's own engine (a ModelEngine with a test model loaded): the
// request body's sampling and stop strings become a GenerateRequest, each streamed token one piece.
// With the successor model the text is known exactly (tools/makeModel/successorScript.ts).
import type { ChatMessage, GenerateHandlers, GenerateRequest, GenerateResult } from '../../src/model/protocol';
import type { ChatTurn, TextSource } from './inferenceServer';

export interface TextEngine {
  generate(request: GenerateRequest, handlers?: GenerateHandlers): Promise<GenerateResult>;
  chatPrompt(messages: ChatMessage[]): Promise<string>;
}

export function engineSource(engine: TextEngine): TextSource {
  return {
    complete: (prompt, body, signal) => stream(engine, prompt, body, signal),
    chat: (messages, body, signal) => (async function* () {
      const prompt = await engine.chatPrompt(messages.map((m: ChatTurn) => ({ role: m.role as ChatMessage['role'], content: m.content })));
      yield* stream(engine, prompt, body, signal);
    })(),
  };
}

function requestOf(prompt: string, body: Record<string, unknown>): GenerateRequest {
  const num = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);
  const stop = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop.map(String) : [];
  return {
    prompt,
    sampling: {
      temperature: num(body.temperature, 1),
      topP: num(body.top_p, 1),
      topK: num(body.top_k, 0),
      repetitionPenalty: num(body.repetition_penalty, 1),
      maxNewTokens: num(body.max_tokens, 16),
      ...(typeof body.seed === 'number' ? { seed: body.seed } : {}),
    },
    stop,
  };
}

async function* stream(engine: TextEngine, prompt: string, body: Record<string, unknown>, signal: AbortSignal): AsyncGenerator<string> {
  const pieces: string[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: unknown;
  const done = engine.generate(requestOf(prompt, body), {
    signal,
    onToken: (text) => {
      pieces.push(text);
      wake?.();
    },
  }).then(
    () => undefined,
    (error: unknown) => {
      failure = error;
    },
  ).finally(() => {
    finished = true;
    wake?.();
  });
  while (true) {
    if (pieces.length > 0) {
      yield pieces.shift()!;
      continue;
    }
    if (finished) break;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
  await done;
  if (failure) throw failure;
}
