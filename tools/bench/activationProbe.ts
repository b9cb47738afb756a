// The extension's activation time without VS Code: each sample is a fresh Node process that loads
// dist/extension.js against a stub of the `vscode` module and calls activate() (activationChild.ts).
// This is the extension's own share of VS Code's activation time (loading its bundle and running
// activate); VS Code's bookkeeping around it is not included.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { ActivationTiming } from './activationChild';
import { summarize, type Summary } from './benchStats';

export interface ActivationResult {
  totalMs: Summary | undefined;
  requireMs: Summary | undefined;
  activateMs: Summary | undefined;
  faked: string[];
}

/** `settings` are the user's settings for the run (a local model keeps the model process off the network). */
export async function measureActivation(root: string, childEntry: string, samples: number, settings: Record<string, unknown>): Promise<ActivationResult> {
  const timings: ActivationTiming[] = [];
  for (let i = 0; i < samples; i++) {
    const child = fork(childEntry, [JSON.stringify({ root, settings })], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    timings.push(await new Promise<ActivationTiming>((resolve, reject) => {
      child.once('message', (m) => resolve(m as ActivationTiming));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the activation probe exited (${code}) before reporting`)));
    }));
  }
  return {
    totalMs: summarize(timings.map((t) => t.requireMs + t.activateMs)),
    requireMs: summarize(timings.map((t) => t.requireMs)),
    activateMs: summarize(timings.map((t) => t.activateMs)),
    faked: [...new Set(timings.flatMap((t) => t.faked))].sort(),
  };
}

export function activationChildEntry(outDir: string): string {
  return join(outDir, 'activationChild.js');
}
