// node-llama-cpp, installed at run time into <repo>/.cache/anchor (never a project dependency) and
// loaded from there. It is ESM with top-level await, so `require` cannot load it: createRequire
// finds its entry, and a dynamic import() loads it. Only the few calls the anchor makes are typed.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const NODE_LLAMA_CPP_VERSION = '3.22.1';

export interface LlamaSequence {
  evaluate(tokens: number[], options?: { temperature?: number }): AsyncGenerator<number, void, void>;
}

export interface LlamaContext {
  getSequence(): LlamaSequence;
  dispose(): Promise<void>;
}

export interface LlamaModel {
  tokenize(text: string): number[];
  createContext(options: { contextSize: number; batchSize: number; threads: number }): Promise<LlamaContext>;
  dispose(): Promise<void>;
}

export interface Llama {
  /** llama.cpp's system info line: the CPU features its loaded backend was built for. */
  readonly systemInfo: string;
  readonly llamaCppRelease: { repo: string; release: string };
  loadModel(options: { modelPath: string; gpuLayers: number }): Promise<LlamaModel>;
  dispose(): Promise<void>;
}

interface NodeLlamaCpp {
  getLlama(options: {
    gpu: false; build: 'never'; usePrebuiltBinaries: true; skipDownload: true; maxThreads: number;
    logLevel?: string; logger?: (level: string, message: string) => void;
  }): Promise<Llama>;
}

/** Installs node-llama-cpp and its CPU binaries into `prefix` unless already there; no download or build. */
export function ensureNodeLlamaCpp(prefix: string, log: (line: string) => void = () => undefined): void {
  if (existsSync(join(prefix, 'node_modules', 'node-llama-cpp', 'package.json'))) return;
  log(`installing node-llama-cpp@${NODE_LLAMA_CPP_VERSION} into ${prefix}`);
  execFileSync('npm', [
    'install', '--prefix', prefix, '--ignore-scripts', '--omit=optional', '--no-audit', '--no-fund',
    `node-llama-cpp@${NODE_LLAMA_CPP_VERSION}`, `@node-llama-cpp/linux-x64@${NODE_LLAMA_CPP_VERSION}`,
  ], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: 'true' } });
}

/**
 * The llama.cpp CPU backend with exactly `threads` threads: node-llama-cpp's default of
 * max(cores, 4) oversubscribes a 2-core machine and decode collapses.
 */
export async function loadLlama(prefix: string, threads: number, onLog?: (message: string) => void): Promise<Llama> {
  const entry = createRequire(join(prefix, 'package.json')).resolve('node-llama-cpp');
  const module = (await import(pathToFileURL(entry).href)) as NodeLlamaCpp;
  return module.getLlama({
    gpu: false, build: 'never', usePrebuiltBinaries: true, skipDownload: true, maxThreads: threads,
    ...(onLog ? { logLevel: 'debug', logger: (_level: string, message: string) => onLog(message) } : {}),
  });
}
