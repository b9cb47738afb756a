// Runs in a fresh Node process (forked by activationProbe.ts): answers `require('vscode')` with the
// stub, loads dist/extension.js and calls activate(), timing both, as VS Code's extension host does
// on activation. Then disposes what activate() registered (which stops the model process it started).
import Module from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeVscodeStub } from './vscodeStub';

interface ChildArgs {
  root: string;
  settings: Record<string, unknown>;
}

export interface ActivationTiming {
  requireMs: number;
  activateMs: number;
  /** vscode members the extension touched that the stub only faked. */
  faked: string[];
}

function main(): void {
  const { root, settings } = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
  const stub = makeVscodeStub(settings);
  const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const load = loader._load.bind(Module);
  loader._load = (request, parent, isMain) => (request === 'vscode' ? stub.module : load(request, parent, isMain));
  const storage = mkdtempSync(join(tmpdir(), 'inkling-activation-'));
  const context = stub.context(root, storage) as { subscriptions: { dispose(): unknown }[] };

  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extension = require(join(root, 'dist', 'extension.js')) as { activate(context: unknown): unknown };
  const loaded = performance.now();
  extension.activate(context);
  const activated = performance.now();

  const timing: ActivationTiming = { requireMs: loaded - started, activateMs: activated - loaded, faked: [...stub.missing] };
  for (const item of context.subscriptions) item.dispose();
  rmSync(storage, { recursive: true, force: true });
  process.send?.(timing, () => process.exit(0));
}

main();
