// Small helpers the extension-host suites share: waiting for a condition or an event, and counting what
// the completion service answered.
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
