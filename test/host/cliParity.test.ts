// `inkling complete` and the editor share one pipeline: at the same file position, the CLI prints
// exactly what accepting VS Code's ghost text inserts.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { InklingApi } from '../../src/provider/api';
import { activateInkling, triggerAndCommit, until } from './hostSupport';

// A block body to fill (several lines) and the end of a statement (one line), with code after both.
const source = [
  'import math',
  '',
  '',
  'def quicksort(arr):',
  '    ',
  '',
  '',
  'def area(radius):',
  '    return math.pi * ',
  '',
].join('\n');
// What both must give there, written out from the successor model's script (tools/makeModel/README.md):
// after <|fim_middle|> it always says the same quicksort body; after a statement's start, its first line
// and the block that line opens (the fit stages' scope rule) are kept.
const cases = [
  {
    position: new vscode.Position(4, 4),
    expected: [
      'if len(arr) <= 1:',
      '        return arr',
      '    pivot = arr[0]',
      '    left = [x for x in arr[1:] if x < pivot]',
      '    right = [x for x in arr[1:] if x >= pivot]',
      '    return quicksort(left) + [pivot] + quicksort(right)',
    ].join('\n'),
  },
  { position: new vscode.Position(8, 21), expected: 'if len(arr) <= 1:\n        return arr' },
];

describe('Inline completions: CLI parity', function () {
  this.timeout(180_000);
  let api: InklingApi;
  let root: string;
  const model = process.env.INKLING_TEST_MODEL ?? '';

  before(async function () {
    this.timeout(240_000);
    assert.ok(model, 'INKLING_TEST_MODEL is not set: run through test/harness/runHostTests');
    api = await activateInkling();
    await vscode.workspace.getConfiguration('inkling').update('completion.temperature', 0, vscode.ConfigurationTarget.Workspace);
    await until(() => api.settings().completion.sampling.temperature === 0, 10_000, 'temperature 0');
    await api.models.completionModel();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder?.scheme === 'file', 'the fixture workspace is not open on this machine');
    root = folder.fsPath;
    await vscode.workspace.fs.writeFile(vscode.Uri.file(join(root, 'parity.py')), new TextEncoder().encode(source));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.workspace.getConfiguration('inkling').update('completion.temperature', undefined, vscode.ConfigurationTarget.Workspace);
  });

  /** Ghost text VS Code shows at `position` (its real trigger → commit path); the document is reverted after. */
  async function acceptedAt(position: vscode.Position): Promise<string> {
    api.completions.clearCache();
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(join(root, 'parity.py')));
    editor.selection = new vscode.Selection(position, position);
    try {
      return await triggerAndCommit(api, editor);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }

  async function cliAt(position: vscode.Position): Promise<string> {
    const cli = join(vscode.extensions.getExtension('inkling-dev.inkling')!.extensionPath, 'dist', 'cli.js');
    const args = [cli, 'complete', '--model', model, '--dtype', 'fp32', '--file', 'parity.py',
      '--line', String(position.line + 1), '--column', String(position.character + 1), '--set', 'completion.temperature=0'];
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: root, timeout: 90_000 });
    return stdout;
  }

  for (const { position, expected } of cases) {
    it(`prints what the editor inserts at ${position.line + 1}:${position.character + 1}`, async () => {
      assert.equal(await acceptedAt(position), expected, 'the editor');
      assert.equal(await cliAt(position), expected, 'the CLI');
    });
  }
});
