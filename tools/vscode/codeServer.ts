// Starts code-server (a real VS Code server and workbench) for one test run and always stops it:
// it runs in its own process group, so the extension host and anything Inkling spawned end with it.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { createProfile, serverArgs } from './codeServerProfile';
import { locateTools } from './installedTools';
import type { ChildProcess } from 'node:child_process';
import type { CodeServerProfile } from './codeServerProfile';
import type { Tools } from './installedTools';

export interface CodeServerOptions {
  tools?: Tools;
  /** Lets the workbench honour extensionDevelopmentPath/extensionTestsPath from the URL payload. */
  smokeTestDriver?: boolean;
  /** .vsix files installed into this run's extensions folder before the server starts. */
  installExtensions?: string[];
  /** Merged over the quiet defaults in User/settings.json. */
  userSettings?: Record<string, unknown>;
  /** Machine/settings.json: where code-server reads machine-scoped settings (Inkling's model, hub, device). */
  machineSettings?: Record<string, unknown>;
  /** Leave workspace trust on: a folder opens untrusted (Restricted Mode) unless the user trusts it. */
  workspaceTrust?: boolean;
  /** Added to the server's (and so the extension host's) environment. */
  env?: NodeJS.ProcessEnv;
  /** Files written into the user-data folder before the server starts (e.g. an extension's global storage), by relative path. */
  userDataFiles?: Record<string, string>;
  /** More command-line flags for code-server (e.g. `--log debug` for extensions' debug lines). */
  extraArgs?: string[];
  /** Called with each line code-server prints. */
  onLog?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface CodeServer {
  /** "127.0.0.1:PORT": the browser must use exactly this in vscode-remote URIs. */
  readonly authority: string;
  readonly origin: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** The workbench URL for `folder`, with an optional smoke-test payload. */
  workbenchUrl(folder: string, payload?: Array<[string, string]>): string;
  /** `path` on the server as the workbench names it. */
  remoteUri(path: string): string;
  output(): string;
  stop(): Promise<void>;
}

// Every test file bundles its own copy of this module: one set of servers and handlers per process.
const shared = globalThis as { inklingCodeServers?: Set<ChildProcess> };
const running = shared.inklingCodeServers ?? new Set<ChildProcess>();
if (!shared.inklingCodeServers) {
  shared.inklingCodeServers = running;
  process.on('exit', () => {
    for (const child of running) killGroup(child, 'SIGKILL');
  });
  // Ctrl+C skips 'exit' handlers unless we turn the signal into an exit.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const tools = options.tools ?? locateTools();
  const profile = createProfile(options.userSettings, options.env, options.machineSettings);
  for (const [name, content] of Object.entries(options.userDataFiles ?? {})) {
    mkdirSync(dirname(join(profile.userDataDir, name)), { recursive: true });
    writeFileSync(join(profile.userDataDir, name), content);
  }
  const base = [tools.codeServerEntry, ...serverArgs(profile, '127.0.0.1:0', { workspaceTrust: options.workspaceTrust })];
  try {
    for (const vsix of options.installExtensions ?? []) await installExtension(tools, profile, vsix);
  } catch (error) {
    rmSync(profile.root, { recursive: true, force: true });
    throw error;
  }

  const args = [...base, ...(options.extraArgs ?? []), ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : [])];
  const child = spawn(tools.node, args, { env: profile.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let text = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (running.delete(child)) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (!process.env.INKLING_KEEP_TEMP) rmSync(profile.root, { recursive: true, force: true });
  };

  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start:\n${text}`)), options.startTimeoutMs ?? 30_000);
    const onData = (chunk: Buffer): void => {
      const fresh = chunk.toString();
      text += fresh;
      for (const line of fresh.split('\n')) if (line.trim()) options.onLog?.(line);
      const match = /HTTP server listening on (http:\/\/[\d.]+:\d+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}) before listening:\n${text}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });

  const authority = new URL(origin).host;
  const remoteUri = (path: string): string => `vscode-remote://${authority}${path}`;
  return {
    authority,
    origin,
    userDataDir: profile.userDataDir,
    extensionsDir: profile.extensionsDir,
    remoteUri,
    workbenchUrl(folder, payload) {
      const query = new URLSearchParams({ folder });
      if (payload) query.set('payload', JSON.stringify(payload));
      return `${origin}/?${query.toString()}`;
    },
    output: () => text,
    stop,
  };
}

/** `code-server --install-extension` into the profile's extensions folder (about a second). */
export async function installExtension(tools: Tools, profile: CodeServerProfile, vsix: string): Promise<void> {
  const args = [tools.codeServerEntry, ...serverArgs(profile, '127.0.0.1:0'), '--install-extension', vsix, '--force'];
  await promisify(execFile)(tools.node, args, { env: profile.env });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  // The whole group, even when code-server itself has gone: its extension host may linger.
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
