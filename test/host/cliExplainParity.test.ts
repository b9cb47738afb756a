// `inkling explain` and "Explain Selection" share one pipeline: for the same lines of the same file,
// the CLI streams to stdout exactly the text the panel shows, from a prompt of the same length.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExplainOutcome } from '../../src/explain/explainSession';
import type { InklingApi } from '../../src/provider/api';
import { EXPLANATION } from './expectedText';
import { activateInkling, INKLING_ID, until } from './hostSupport';

interface CliRun { stdout: string; stderr: string; code: number | null }

/** Runs the bundled CLI with the extension host's own Node (Electron's, as Node, on desktop). */
function runCli(cli: string, args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code }));
  });
}

// 0-based inclusive lines of the fixture's quicksort.py, and the explanation language.
const cases = [
  { first: 0, last: 8, language: 'en', what: 'the quicksort function' },
  { first: 11, last: 12, language: 'zh-cn', what: 'the __main__ block, in Chinese' },
];

describe('Explain Selection: the CLI streams what the panel shows', function () {
  this.timeout(120_000);
  let api: InklingApi;
  let cli: string;
  let file: vscode.Uri;
  const model = process.env.INKLING_TEST_MODEL ?? '';
  const inkling = () => vscode.workspace.getConfiguration('inkling');

  before(async function () {
    this.timeout(240_000);
    assert.ok(model, 'INKLING_TEST_MODEL is not set: run through test/harness/runHostTests');
    api = await activateInkling();
    cli = join(vscode.extensions.getExtension(INKLING_ID)!.extensionPath, 'dist', 'cli.js');
    await inkling().update('explain.temperature', 0, vscode.ConfigurationTarget.Workspace);
    await until(() => api.settings().explain.sampling.temperature === 0, 10_000, 'explain temperature 0');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder?.scheme === 'file', 'the fixture workspace is not open on this machine');
    file = vscode.Uri.joinPath(folder, 'quicksort.py');
  });

  after(async () => {
    for (const key of ['explain.temperature', 'explain.language']) await inkling().update(key, undefined, vscode.ConfigurationTarget.Workspace);
  });

  for (const { first, last, language, what } of cases) {
    it(`prints the panel's text for ${what} (lines ${first + 1}-${last + 1})`, async () => {
      await inkling().update('explain.language', language, vscode.ConfigurationTarget.Workspace);
      await until(() => api.settings().explain.language === language, 10_000, `explain language ${language}`);
      const editor = await vscode.window.showTextDocument(file, { viewColumn: vscode.ViewColumn.One });
      editor.selection = new vscode.Selection(first, 0, last, editor.document.lineAt(last).text.length);
      const outcome = await vscode.commands.executeCommand<ExplainOutcome | undefined>('inkling.explainSelection');
      assert.ok(outcome, 'the explanation did not finish');
      assert.equal(api.panel.text, EXPLANATION, 'the panel');

      const args = ['explain', '--model', model, '--dtype', 'fp32', '--file', file.fsPath, '--lines', `${first + 1}-${last + 1}`, '--set', 'explain.temperature=0', '--set', `explain.language=${language}`];
      const streamed = await runCli(cli, args);
      assert.equal(streamed.code, 0, streamed.stderr);
      // The CLI ends its stream with one newline of its own.
      assert.equal(streamed.stdout, `${EXPLANATION}\n`, 'the CLI');

      const json = await runCli(cli, [...args, '--json']);
      assert.equal(json.code, 0, json.stderr);
      const report = JSON.parse(json.stdout) as { text: string; timings: { promptTokens: number; generatedTokens: number } };
      assert.equal(report.text, EXPLANATION, 'the CLI with --json');
      // Same prompt (file name, code, language, template) on both sides: same token count.
      assert.equal(report.timings.promptTokens, outcome.result.promptTokens);
      assert.equal(report.timings.generatedTokens, outcome.result.generatedTokens);
    });
  }
});
