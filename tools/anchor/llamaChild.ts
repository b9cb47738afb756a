// Entry of the llama.cpp child process (bundled to out/tools/anchor/llamaChild.js): loads the model,
// says ready, runs one greedy generation per request and reports its timings.
import { readFileSync } from 'node:fs';
import { loadLlama } from './llamaCpp';
import type { LlamaModel, LlamaSequence } from './llamaCpp';
import type { FromLlamaChild, LlamaChildArgs, LlamaDone, ToLlamaChild } from './llamaMessages';

function send(message: FromLlamaChild): void {
  process.send?.(message);
}

function peakRssMiB(): number {
  const kib = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kib ? Math.round(Number(kib) / 1024) : NaN;
}

/** Exactly `count` ids: cut, or the tokenized prompt repeated, when the tokenizers disagree. */
function fitTokens(tokens: readonly number[], count: number): number[] {
  if (tokens.length === 0) throw new Error('The prompt tokenized to nothing');
  return Array.from({ length: count }, (_, i) => tokens[i % tokens.length]);
}

async function run(model: LlamaModel, sequence: LlamaSequence, request: Extract<ToLlamaChild, { type: 'run' }>): Promise<LlamaDone> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const tokenized = model.tokenize(request.prompt);
  const prompt = fitTokens(tokenized, request.promptTokens);
  let ttftMs = NaN;
  let generated = 0;
  for await (const token of sequence.evaluate(prompt, { temperature: 0 })) {
    void token;
    if (++generated === 1) ttftMs = performance.now() - started;
    if (generated >= request.newTokens) break;
  }
  const totalMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    type: 'done', tokenizedTokens: tokenized.length, promptTokens: prompt.length, ttftMs, generatedTokens: generated, totalMs,
    cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMiB: peakRssMiB(),
  };
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as LlamaChildArgs;
  let backend: string | undefined;
  let t = performance.now();
  const llama = await loadLlama(args.prefix, args.threads, (message) => {
    backend ??= /loaded CPU backend from .*\/(libggml-cpu-[\w-]+\.so)/.exec(message)?.[1];
  });
  const libraryMs = performance.now() - t;
  t = performance.now();
  const model = await llama.loadModel({ modelPath: args.modelPath, gpuLayers: 0 });
  const modelMs = performance.now() - t;
  t = performance.now();
  const context = await model.createContext({ contextSize: args.contextSize, batchSize: args.contextSize, threads: args.threads });
  const contextMs = performance.now() - t;
  send({
    type: 'ready', libraryMs, modelMs, contextMs, rssMiB: Math.round(process.memoryUsage.rss() / 2 ** 20), backend,
    systemInfo: llama.systemInfo.trim(), release: llama.llamaCppRelease.release,
  });
  // One sequence, one request: each round's prompt is cold in a fresh process.
  const sequence = context.getSequence();
  process.on('message', (message: ToLlamaChild) => {
    if (message.type === 'exit') {
      void context.dispose().then(() => model.dispose()).then(() => llama.dispose()).finally(() => process.exit(0));
      return;
    }
    run(model, sequence, message).then(send, (error: unknown) => send({ type: 'error', message: String(error) }));
  });
}

process.on('disconnect', () => process.exit(0));
main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
