// Small helpers the extension-host suites share: waiting for a condition or an event, opening a file to
// type in, accepting ghost text, and counting what the completion service answered.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CompletionCounters } from '../../src/completion/completionTypes';
import type { InklingApi } from '../../src/provider/api';
import { SETTINGS, type SettingKey } from '../../src/settings/settingsTable';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` passes, polling; fails naming `what` after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) assert.fail(`${what}: not within ${timeoutMs} ms`);
    await sleep(25);
  }
}

const opened = new Map<string, number>();

/**
 * A new Python file `<stem><n>.py` in the fixture workspace holding `text`, open in the active editor
 * with the cursor at its end (each suite passes its own stem: the files stay for the whole run).
 */
export async function openPythonFile(stem: string, text: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder, 'the fixture workspace is not open');
  const count = (opened.get(stem) ?? 0) + 1;
  opened.set(stem, count);
  const uri = vscode.Uri.joinPath(folder, `${stem}${count}.py`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  assert.equal(editor.document.languageId, 'python');
  const end = editor.document.positionAt(editor.document.getText().length);
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

/**
 * Presses Tab (accept the inline suggestion) every 250 ms until the document changes: ghost text that
 * came with no further keystroke or trigger. Returns the document's text then.
 */
export async function acceptWhenShown(editor: vscode.TextEditor, timeoutMs: number): Promise<string> {
  const before = editor.document.getText();
  for (const end = Date.now() + timeoutMs; editor.document.getText() === before && Date.now() < end;) {
    await sleep(250);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
  }
  return editor.document.getText();
}

/** A wait for an event that its test can end early (in a `finally`), so nothing outlives the test. */
export type EventWait<T> = Promise<T> & { dispose(): void };

/**
 * The next value `subscribe` delivers that passes `wanted`; rejects naming `what` after `timeoutMs`.
 * Settled or disposed, it leaves no listener and no timer behind.
 */
export function nextEvent<T>(subscribe: (listener: (value: T) => void) => { dispose(): void }, wanted: (value: T) => boolean, timeoutMs: number, what: string): EventWait<T> {
  let end = (): void => undefined;
  const waiting = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      end();
      reject(new Error(`${what}: none within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = subscribe((value) => {
      if (!wanted(value)) return;
      end();
      resolve(value);
    });
    end = () => {
      clearTimeout(timer);
      subscription.dispose();
    };
  });
  return Object.assign(waiting, { dispose: () => end() });
}

/** Requests the completion service answered, however it answered them. */
export const answered = (c: CompletionCounters) => c.generationsStarted + c.cacheHits + c.typedAheadHits + c.inflightReuses + c.skipped;

export const INKLING_ID = 'inkling-dev.inkling';

/** Activates Inkling in this extension host and returns its API. */
export async function activateInkling(): Promise<InklingApi> {
  const extension = vscode.extensions.getExtension<InklingApi>(INKLING_ID);
  assert.ok(extension, `${INKLING_ID} is not installed in this extension host`);
  return extension.activate();
}

/**
 * Where a test writes a setting: the workspace, except for the machine settings (the model, the hub,
 * the device), which a workspace cannot set; those go to the user's (in code-server, Remote) settings.
 */
export function settingTarget(key: string): vscode.ConfigurationTarget {
  return (SETTINGS[key as SettingKey] as { scope?: string } | undefined)?.scope === 'machine' ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace;
}

/**
 * VS Code's own inline-suggest path, as a user drives it: trigger a suggestion at the cursor, wait for
 * Inkling to answer, accept it (Tab). Returns the text the accept inserted at the cursor (what it
 * replaced after the cursor is gone from the document, so "inserted" is what stands there now).
 */
export async function triggerAndCommit(api: InklingApi, editor: vscode.TextEditor, timeoutMs = 30_000): Promise<string> {
  const document = editor.document;
  const before = document.getText();
  const offset = document.offsetAt(editor.selection.active);
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    const seen = answered(api.completions.counters);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await until(() => answered(api.completions.counters) > seen, 5_000, 'the provider was not asked').catch(() => undefined);
    await until(() => api.completions.counters.inFlight === 0, 20_000, 'the generation did not end');
    await sleep(150);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    const after = document.getText();
    if (after !== before) {
      const tail = before.length - offset;
      return after.slice(offset, after.length - tail);
    }
    await sleep(250);
  }
  return assert.fail(`no ghost text to accept within ${timeoutMs} ms (counters ${JSON.stringify(api.completions.counters)})`);
}
