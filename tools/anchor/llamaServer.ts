// llama.cpp's own `llama-server`, for running the README's llama.cpp server recipe against the real
// engine. No release binary can be downloaded here, but node-llama-cpp (the anchor's install, from
// npm) ships the llama.cpp source it was built from as a git bundle: that source is built once, CPU
// only, into <repo>/.cache/llama-server/<release>/ (cmake, ninja and a C++ compiler, ~10 minutes on two
// cores). INKLING_LLAMA_SERVER=/path/to/llama-server uses an existing binary instead.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../repoRoot';
import { anchorDir } from './anchorModel';
import { ensureNodeLlamaCpp } from './llamaCpp';

/** The llama.cpp release node-llama-cpp bundles (its llama/llama.cpp.info.json). */
export function bundledRelease(nodeLlamaCpp: string): string {
  const info = JSON.parse(readFileSync(join(nodeLlamaCpp, 'llama', 'llama.cpp.info.json'), 'utf8')) as { tag?: unknown };
  if (typeof info.tag !== 'string' || !/^[\w.-]+$/.test(info.tag)) throw new Error(`${nodeLlamaCpp}: llama.cpp.info.json names no release tag`);
  return info.tag;
}

function missingTools(): string[] {
  return ['git', 'cmake', 'ninja', 'c++'].filter((tool) => {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
}

/** The llama-server binary: INKLING_LLAMA_SERVER, a cached build, or a new build from the bundled source. */
export function ensureLlamaServer(log: (line: string) => void): string {
  const given = process.env.INKLING_LLAMA_SERVER;
  if (given) {
    if (!existsSync(given)) throw new Error(`INKLING_LLAMA_SERVER=${given} does not exist`);
    return given;
  }
  ensureNodeLlamaCpp(anchorDir(), log);
  const nodeLlamaCpp = join(anchorDir(), 'node_modules', 'node-llama-cpp');
  const release = bundledRelease(nodeLlamaCpp);
  const home = join(repoRoot(), '.cache', 'llama-server', release);
  const binary = join(home, 'llama-server');
  if (existsSync(binary)) return binary;
  const missing = missingTools();
  if (missing.length > 0) throw new Error(`Building llama-server needs ${missing.join(', ')} (on Debian: apt install git cmake ninja-build g++), or set INKLING_LLAMA_SERVER`);
  const source = join(home, 'source');
  rmSync(source, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  log(`building llama-server from llama.cpp ${release} (node-llama-cpp's bundled source) into ${home}: ~10 minutes on two cores`);
  execFileSync('git', ['clone', '--quiet', join(nodeLlamaCpp, 'llama', 'gitRelease.bundle'), source], { stdio: 'inherit' });
  const build = join(source, 'build');
  execFileSync('cmake', [
    '-S', source, '-B', build, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release',
    // CPU only, no downloads at build time (the web UI is not needed: the recipe uses the HTTP API).
    '-DLLAMA_BUILD_TESTS=OFF', '-DLLAMA_BUILD_EXAMPLES=OFF', '-DLLAMA_BUILD_UI=OFF', '-DLLAMA_USE_PREBUILT_UI=OFF',
    '-DLLAMA_OPENSSL=OFF', '-DBUILD_SHARED_LIBS=OFF', '-DGGML_NATIVE=ON',
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('ninja', ['-C', build, 'llama-server'], { stdio: ['ignore', 'ignore', 'inherit'] });
  copyFileSync(join(build, 'bin', 'llama-server'), binary);
  rmSync(source, { recursive: true, force: true });
  return binary;
}
