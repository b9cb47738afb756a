// One llama.cpp round: a fresh child process loads the GGUF, runs the prompt, reports, and exits.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { decodeRate } from './engineSample';
import type { EngineSample } from './engineSample';
import type { FromLlamaChild, LlamaChildArgs, LlamaDone, LlamaReady, ToLlamaChild } from './llamaMessages';

export interface LlamaRoundInput extends LlamaChildArgs {
  childEntry: string;
  prompt: string;
  promptTokens: number;
  newTokens: number;
}

export interface LlamaRoundResult {
  sample: EngineSample;
  ready: LlamaReady;
  done: LlamaDone;
}

function next<T extends FromLlamaChild['type']>(child: ChildProcess, type: T): Promise<Extract<FromLlamaChild, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromLlamaChild): void => {
      cleanup();
      if (message.type === type) resolve(message as Extract<FromLlamaChild, { type: T }>);
      else reject(new Error(message.type === 'error' ? `llama.cpp child: ${message.message}` : `llama.cpp child sent ${message.type}, expected ${type}`));
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      reject(new Error(`llama.cpp child exited (${signal ?? code}) before "${type}"`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export async function measureLlamaRound(input: LlamaRoundInput): Promise<LlamaRoundResult> {
  const args: LlamaChildArgs = { prefix: input.prefix, modelPath: input.modelPath, threads: input.threads, contextSize: input.contextSize };
  const started = performance.now();
  const child = fork(input.childEntry, [JSON.stringify(args)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const ready = await next(child, 'ready');
    const loadMs = performance.now() - started;
    const message: ToLlamaChild = { type: 'run', prompt: input.prompt, promptTokens: input.promptTokens, newTokens: input.newTokens };
    child.send(message);
    const done = await next(child, 'done');
    const sample: EngineSample = {
      engine: 'llama.cpp',
      loadMs,
      rssAfterLoadMiB: ready.rssMiB,
      peakRssMiB: done.peakRssMiB,
      promptTokens: done.promptTokens,
      ttftMs: done.ttftMs,
      generatedTokens: done.generatedTokens,
      decodeTokensPerSecond: decodeRate(done.generatedTokens, done.totalMs, done.ttftMs),
      coresObtained: done.cpuSeconds / (done.totalMs / 1000),
    };
    return { sample, ready, done };
  } finally {
    if (child.connected) child.send({ type: 'exit' } satisfies ToLlamaChild);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
