// What the user types on the command line is checked before a model loads (which takes seconds):
// a folder or a pipe as --file, a position past the end, a misspelt --set key. And the advice in
// messages names flags, not the editor's settings.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { nearestSetting } from '../../../src/cli/settingNames';
import { forTerminal } from '../../../src/cli/terminalHints';
import { ensureTestModel } from '../../../tools/makeModel/modelCache';
import { repoRoot } from '../../../tools/repoRoot';

const run = promisify(execFile);
const cli = join(repoRoot(), 'dist', 'cli.js');

async function inkling(args: string[], cwd: string): Promise<{ code: number; stderr: string; ms: number }> {
  const started = Date.now();
  try {
    const { stderr } = await run(process.execPath, [cli, ...args], { cwd, timeout: 30_000 });
    return { code: 0, stderr, ms: Date.now() - started };
  } catch (error) {
    const e = error as { code: number; stderr: string; killed?: boolean };
    if (e.killed) assert.fail(`inkling ${args.join(' ')} hung`);
    return { code: e.code, stderr: e.stderr, ms: Date.now() - started };
  }
}

describe('inkling CLI input', function () {
  this.timeout(60_000);
  let dir: string;
  // No such model: a check that ran after loading would report the model instead.
  const noModel = ['--model', '/nonexistent/model'];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'inkling-cli-input-'));
    writeFileSync(join(dir, 'app.py'), 'def f():\n    return 1\n');
    mkdirSync(join(dir, 'src'));
    execFileSync('mkfifo', [join(dir, 'pipe.py')]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const firstLine = (stderr: string) => stderr.split('\n')[0];

  it('refuses a folder as --file before loading the model', async () => {
    const { code, stderr } = await inkling(['complete', ...noModel, '--file', 'src', '--line', '1', '--column', '1'], dir);
    assert.equal(code, 2);
    assert.equal(firstLine(stderr), `inkling: --file ${join(dir, 'src')} is a folder; give a source file.`);
  });

  it('refuses a named pipe as --file instead of waiting on it forever', async () => {
    const { code, stderr } = await inkling(['explain', ...noModel, '--file', 'pipe.py', '--lines', '1-2'], dir);
    assert.equal(code, 2);
    assert.equal(firstLine(stderr), `inkling: --file ${join(dir, 'pipe.py')} is not a regular file (a pipe, socket or device), so Inkling does not read it.`);
  });

  it('checks --line, --column and --lines against the file before loading the model', async () => {
    const line = await inkling(['complete', ...noModel, '--file', 'app.py', '--line', '9', '--column', '1'], dir);
    assert.equal(line.code, 2);
    assert.equal(firstLine(line.stderr), 'inkling: app.py: line 9 is past the end of the file (3 lines).');
    const column = await inkling(['complete', ...noModel, '--file', 'app.py', '--line', '1', '--column', '40'], dir);
    assert.equal(firstLine(column.stderr), 'inkling: app.py: column 40 is past the end of line 1 (8 characters).');
    const lines = await inkling(['explain', ...noModel, '--file', 'app.py', '--lines', '7-9'], dir);
    assert.equal(firstLine(lines.stderr), `inkling: --lines 7-9 is past the end of ${join(dir, 'app.py')} (3 lines).`);
  });

  it('refuses a misspelt --set key, naming the nearest real one', async () => {
    const typo = await inkling(['complete', ...noModel, '--file', 'app.py', '--line', '1', '--column', '1', '--set', 'temprature=0'], dir);
    assert.equal(typo.code, 2);
    assert.equal(firstLine(typo.stderr), 'inkling: Unknown setting "temprature" in --set. Did you mean completion.temperature?');
    const grouped = await inkling(['complete', ...noModel, '--file', 'app.py', '--line', '1', '--column', '1', '--set', 'explain.maxNewToken=9'], dir);
    assert.equal(firstLine(grouped.stderr), 'inkling: Unknown setting "explain.maxNewToken" in --set. Did you mean explain.maxNewTokens?');
    const nothing = await inkling(['complete', ...noModel, '--file', 'app.py', '--line', '1', '--column', '1', '--set', 'frobnicate=1'], dir);
    assert.equal(firstLine(nothing.stderr), 'inkling: Unknown setting "frobnicate" in --set. Setting names look like completion.temperature; the README\'s settings table lists them all.');
  });

  it('finds the nearest setting name by its whole name or its name within the group', () => {
    assert.equal(nearestSetting('temprature'), 'completion.temperature');
    assert.equal(nearestSetting('completion.topk'), 'completion.topK');
    assert.equal(nearestSetting('model.dtpye'), 'model.dtype');
    assert.equal(nearestSetting('zzzzzzzz'), undefined);
  });

  it('names flags in its advice: --dtype for weights the folder lacks', async () => {
    const model = await ensureTestModel('successor', 'fp32');
    const { code, stderr } = await inkling(['complete', '--model', model, '--dtype', 'q4', '--file', 'app.py', '--line', '1', '--column', '1'], dir);
    assert.equal(code, 1);
    assert.equal(stderr.trim(), `inkling: Inkling could not find the model ${model}: onnx/model_q4.onnx is missing in ${model}; it has fp32 weights, so pass --dtype fp32. Check --model.`);
  });

  it('rewrites the editor\'s advice for a terminal', () => {
    const cases: Array<[string, string]> = [
      ['Inkling could not reach the model hub (https://huggingface.co/) to download org/x (ENOTFOUND). Check your network connection, or use a model folder on this machine: run "Inkling: Select Model…" and choose "Use a local model folder…" (a folder with config.json, tokenizer.json and onnx/).',
        'Inkling could not reach the model hub (https://huggingface.co/) to download org/x (ENOTFOUND). Check your network connection, or use a model folder on this machine: pass a local model folder with --model (a folder with config.json, tokenizer.json and onnx/).'],
      ['Inkling could not run the model /m on cuda: no backend. Set inkling.model.device to cpu, or install the runtime onnxruntime needs for cuda.',
        'Inkling could not run the model /m on cuda: no backend. Pass --set model.device=cpu, or install the runtime onnxruntime needs for cuda.'],
      ['There is not enough free space in /c to download org/x: it needs 1 GB, 2 MB are free. Free some space, or remove models with "Inkling: Clear Model Cache".',
        'There is not enough free space in /c to download org/x: it needs 1 GB, 2 MB are free. Free some space, or delete models you no longer need from the cache folder (INKLING_CACHE_DIR).'],
      ['Inkling could not download org/x through the proxy http://p:1: it answered HTTP 403. Check VS Code\'s http.proxy setting or the HTTPS_PROXY environment variable.',
        'Inkling could not download org/x through the proxy http://p:1: it answered HTTP 403. Check the HTTPS_PROXY environment variable.'],
      ['The hub address in inkling.model.hubUrl ("http://x/") uses http://. Use an https:// address.',
        'The hub address in --set model.hubUrl=… ("http://x/") uses http://. Use an https:// address.'],
      ['Setting inkling.completion.temperature must be a number between 0 and 2 (got "hot"); using the default 0.1.',
        '--set completion.temperature must be a number between 0 and 2 (got "hot"); using the default 0.1.'],
      ['The prompt has 9 tokens, but the model reads at most 4. Ask for less context: lower inkling.completion.contextTokens or inkling.explain.maxInputTokens.',
        'The prompt has 9 tokens, but the model reads at most 4. Ask for less context: lower --set completion.contextTokens=… or --set explain.maxInputTokens=….'],
    ];
    for (const [editor, terminal] of cases) assert.equal(forTerminal(editor), terminal);
  });
});
