// Small helpers the extension-host suites share: waiting for a condition, and counting what the
// completion service answered.
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
