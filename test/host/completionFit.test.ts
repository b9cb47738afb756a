// Completions that fit the code around them, in a real editor (issue 8): the scripted successor model
// writes a chosen continuation (picked by a «script key» in the document), and VS Code's own inline
// suggest path shows it and commits it. Auto-closed closers are replaced, never doubled or lost.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { scriptKey } from '../../tools/makeModel/successorScript';
import type { InklingApi } from '../../src/provider/api';
import { activateInkling, triggerAndCommit, until } from './hostSupport';

interface Case {
  title: string;
  file: string;
  /** The document, `‸` where the cursor is. */
  text: string;
  /** The cursor's line after Tab. */
  accepted: string;
}

const cases: Case[] = [
  {
    title: 'TypeScript [1, 2, 3].map(‸) with the auto-closed ")": Tab gives one ")" and keeps the ";"',
    file: 'map.ts',
    text: `// ${scriptKey('map-call')}\nconst doubled = [1, 2, 3].map(‸);\n`,
    accepted: 'const doubled = [1, 2, 3].map((x) => x * 2);',
  },
  {
    title: 'fetch(‸) with the auto-closed ")": the model\'s ")" replaces it and its ";" is kept',
    file: 'fetch.ts',
    text: `// ${scriptKey('fetch-args')}\nconst res = await fetch(‸)\n`,
    accepted: 'const res = await fetch(url, opts);',
  },
  {
    title: 'JSX <Button ‸/>: the prop goes in before "/>", with one space',
    file: 'save.tsx',
    text: `// ${scriptKey('jsx-prop')}\nexport const Save = ({ busy }) => <Button ‸/>;\n`,
    accepted: 'export const Save = ({ busy }) => <Button disabled={busy} />;',
  },
  {
    title: 'Python def f(‸): the parameters go in, "):" stays as it was',
    file: 'params.py',
    text: `# ${scriptKey('python-params')}\ndef f(‸):\n    pass\n`,
    accepted: 'def f(items: list[int], limit: int = 10):',
  },
  {
    title: 'an answer wrapped in a markdown fence shows the code, not the fence',
    file: 'fence.py',
    text: `# ${scriptKey('markdown-fence')}\ndef sort_items(arr):\n    ‸\n`,
    accepted: '    return sorted(arr)',
  },
];

describe('Completions that fit the code around them (extension host)', function () {
  this.timeout(120_000);
  let api: InklingApi;
  const inkling = () => vscode.workspace.getConfiguration('inkling');

  before(async () => {
    api = await activateInkling();
    await inkling().update('completion.temperature', 0, vscode.ConfigurationTarget.Workspace);
    // Other suites' files may still be open: a script key in their snippets would steer these prompts.
    await inkling().update('completion.useOpenEditors', false, vscode.ConfigurationTarget.Workspace);
    await until(() => api.settings().completion.sampling.temperature === 0 && !api.settings().completion.useOpenEditors, 10_000, 'temperature 0, no snippets');
    await api.models.completionModel();
  });

  const written: vscode.Uri[] = [];

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  after(async () => {
    await inkling().update('completion.temperature', undefined, vscode.ConfigurationTarget.Workspace);
    await inkling().update('completion.useOpenEditors', undefined, vscode.ConfigurationTarget.Workspace);
    // Their script keys must not reach later suites' prompts as snippets of other files.
    for (const uri of written) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  /** Opens `text` as a workspace file with the cursor at `‸`. */
  async function open(file: string, text: string): Promise<vscode.TextEditor> {
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const uri = vscode.Uri.joinPath(folder, file);
    const at = text.indexOf('‸');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text.replace('‸', '')));
    written.push(uri);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const cursor = editor.document.positionAt(at);
    editor.selection = new vscode.Selection(cursor, cursor);
    return editor;
  }

  for (const example of cases) {
    it(example.title, async () => {
      api.completions.clearCache();
      const editor = await open(example.file, example.text);
      const line = editor.selection.active.line;
      const others = editor.document.getText().split('\n').filter((_, i) => i !== line);
      await triggerAndCommit(api, editor);
      const after = editor.document.getText().split('\n');
      assert.equal(after[line], example.accepted);
      assert.deepEqual(after.filter((_, i) => i !== line), others, 'accepting changed other lines');
    });
  }
});
