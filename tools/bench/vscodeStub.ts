// Just enough of the `vscode` module for the extension's activate() to run outside VS Code, so the
// bench can time it: settings come from a plain object, events are real emitters, every window,
// command and language registration succeeds and does nothing. Anything else the extension reaches
// for is a do-nothing function, and its name is recorded so the bench can say what it faked.
import { join } from 'node:path';

type Listener<T> = (event: T) => unknown;

class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(event: T): void {
    for (const listener of [...this.listeners]) listener(event);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

class Disposable {
  constructor(private readonly onDispose: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

interface StubUri {
  scheme: string;
  fsPath: string;
  path: string;
  toString(): string;
}

function uriOf(path: string): StubUri {
  return { scheme: 'file', fsPath: path, path, toString: () => `file://${path}` };
}

/** A value that is anything: callable, constructible, every property another such value. */
function anything(name: string, missing: Set<string>): unknown {
  const target = function () {} as unknown as object;
  return new Proxy(target, {
    get(_t, key) {
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => '';
      if (key === Symbol.iterator) return function* () {};
      if (key === 'dispose') return () => undefined;
      const path = `${name}.${String(key)}`;
      missing.add(path);
      return anything(path, missing);
    },
    apply: () => anything(`${name}()`, missing),
    construct: () => anything(`new ${name}`, missing) as object,
  });
}

function withFallback<T extends object>(name: string, known: T, missing: Set<string>): T {
  return new Proxy(known, {
    get(target, key) {
      if (key in target) return (target as Record<string | symbol, unknown>)[key];
      // esbuild's interop asks; a CommonJS module simply does not have it.
      if (key === 'then' || key === '__esModule') return undefined;
      missing.add(`${name}.${String(key)}`);
      return anything(`${name}.${String(key)}`, missing);
    },
  });
}

export interface VscodeStub {
  module: unknown;
  /** Members the extension used that the stub only faked. */
  missing: Set<string>;
  context(root: string, storage: string): unknown;
}

/** `settings` maps "inkling.model.id" style keys to values; unset keys read their defaults. */
export function makeVscodeStub(settings: Record<string, unknown>): VscodeStub {
  const missing = new Set<string>();
  const configurationChanged = new EventEmitter<unknown>();
  const noop = () => new Disposable();
  const asyncNothing = async () => undefined;
  const channel = () => withFallback('outputChannel', {
    name: 'Inkling', info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, trace: () => undefined,
    append: () => undefined, appendLine: () => undefined, show: () => undefined, hide: () => undefined, clear: () => undefined, dispose: () => undefined,
  }, missing);
  const statusItem = () => withFallback('statusBarItem', { show: () => undefined, hide: () => undefined, dispose: () => undefined }, missing);
  const format = (message: string, ...args: unknown[]) => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
  const module = {
    EventEmitter,
    Disposable,
    Uri: { file: uriOf, parse: (text: string) => uriOf(text.replace(/^file:\/\//, '')), joinPath: (base: StubUri, ...parts: string[]) => uriOf(join(base.fsPath, ...parts)) },
    ThemeColor: class { constructor(readonly id: string) {} },
    ThemeIcon: class { constructor(readonly id: string) {} },
    MarkdownString: class { constructor(readonly value = '') {} },
    Position: class { constructor(readonly line: number, readonly character: number) {} },
    Range: class { constructor(readonly start: unknown, readonly end: unknown) {} },
    Selection: class { constructor(readonly anchor: unknown, readonly active: unknown) {} },
    InlineCompletionItem: class { constructor(readonly insertText: unknown, readonly range?: unknown) {} },
    WorkspaceEdit: class { replace() {} insert() {} },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    InlineCompletionTriggerKind: { Invoke: 0, Automatic: 1 },
    EndOfLine: { LF: 1, CRLF: 2 },
    workspace: withFallback('workspace', {
      getConfiguration: (section?: string) => ({
        get: (key: string, fallback?: unknown) => settings[section ? `${section}.${key}` : key] ?? fallback,
        has: (key: string) => `${section}.${key}` in settings,
        inspect: () => undefined,
        update: asyncNothing,
      }),
      onDidChangeConfiguration: configurationChanged.event,
      textDocuments: [],
      workspaceFolders: undefined,
      asRelativePath: (path: unknown) => String(path),
      applyEdit: async () => true,
      onDidChangeTextDocument: noop,
      onDidCloseTextDocument: noop,
    }, missing),
    window: withFallback('window', {
      createOutputChannel: channel,
      createStatusBarItem: statusItem,
      showInformationMessage: asyncNothing,
      showWarningMessage: asyncNothing,
      showErrorMessage: asyncNothing,
      showQuickPick: asyncNothing,
      showInputBox: asyncNothing,
      showOpenDialog: asyncNothing,
      withProgress: async (_options: unknown, task: (progress: unknown, token: unknown) => unknown) => task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: noop }),
      visibleTextEditors: [],
      activeTextEditor: undefined,
      onDidChangeActiveTextEditor: noop,
      onDidChangeTextEditorSelection: noop,
    }, missing),
    languages: withFallback('languages', { registerInlineCompletionItemProvider: noop }, missing),
    commands: withFallback('commands', { registerCommand: noop, executeCommand: asyncNothing }, missing),
    env: withFallback('env', { language: 'en', clipboard: { writeText: asyncNothing, readText: async () => '' } }, missing),
    l10n: { t: (message: string | { message: string }, ...args: unknown[]) => format(typeof message === 'string' ? message : message.message, ...args) },
  };
  const memento = () => {
    const values = new Map<string, unknown>();
    return { get: (key: string, fallback?: unknown) => values.get(key) ?? fallback, update: async (key: string, value: unknown) => void values.set(key, value), keys: () => [...values.keys()] };
  };
  return {
    module: withFallback('vscode', module, missing),
    missing,
    context: (root: string, storage: string) => withFallback('context', {
      subscriptions: [] as { dispose(): unknown }[],
      extensionUri: uriOf(root),
      extensionPath: root,
      globalStorageUri: uriOf(storage),
      storageUri: uriOf(join(storage, 'workspace')),
      logUri: uriOf(join(storage, 'logs')),
      asAbsolutePath: (relative: string) => join(root, relative),
      globalState: memento(),
      workspaceState: memento(),
      extensionMode: 1,
      extension: { id: 'inkling.inkling', packageJSON: { version: '0.0.0-bench' } },
      secrets: { get: asyncNothing, store: asyncNothing, delete: asyncNothing, onDidChange: noop },
    }, missing),
  };
}
