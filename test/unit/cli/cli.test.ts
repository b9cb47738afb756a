import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SUCCESSOR_EXPLAIN_TEXT, SUCCESSOR_FIM_PREFIX, SUCCESSOR_FIM_TEXT } from '../../../tools/makeModel/successorScript';
import { ensureTestModel } from '../../../tools/makeModel/modelCache';
import { repoRoot } from '../../../tools/repoRoot';

const run = promisify(execFile);
const cli = join(repoRoot(), 'dist', 'cli.js');

async function inkling(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('inkling CLI', function () {
  this.timeout(120_000);
  let model: string;
  let dir: string;
  const greedy = ['--dtype', 'fp32', '--set', 'completion.temperature=0', '--set', 'explain.temperature=0'];

  before(async () => {
    model = await ensureTestModel('successor', 'fp32');
    dir = mkdtempSync(join(tmpdir(), 'inkling-cli-'));
    writeFileSync(join(dir, 'quicksort.py'), `${SUCCESSOR_FIM_PREFIX}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('complete prints the successor model\'s documented continuation, the same twice', async () => {
    const args = ['complete', '--model', model, '--file', 'quicksort.py', '--line', '2', '--column', '5', ...greedy];
    const first = await inkling(args, dir);
    const second = await inkling(args, dir);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, SUCCESSOR_FIM_TEXT);
    assert.equal(second.stdout, first.stdout);
  });

  it('complete --json prints the insert text, the range it replaces, load time, time to first token and tokens/s', async () => {
    const { code, stdout } = await inkling(['complete', '--model', model, '--file', 'quicksort.py', '--line', '2', '--column', '5', '--json', ...greedy], dir);
    assert.equal(code, 0);
    const out = JSON.parse(stdout) as { insertText: string; range: unknown; timings: Record<string, number | null> };
    assert.equal(out.insertText, SUCCESSOR_FIM_TEXT);
    assert.deepEqual(out.range, { start: { line: 2, column: 5 }, end: { line: 2, column: 5 } });
    for (const key of ['loadMs', 'timeToFirstTokenMs', 'tokensPerSecond']) assert.equal(typeof out.timings[key], 'number', key);
  });

  it('explain streams the explanation to stdout', async () => {
    const { code, stdout } = await inkling(['explain', '--model', model, '--file', 'quicksort.py', '--lines', '1-2', ...greedy], dir);
    assert.equal(code, 0);
    assert.equal(stdout, `${SUCCESSOR_EXPLAIN_TEXT}\n`);
  });

  it('says what is wrong with bad arguments, without a stack trace', async () => {
    for (const args of [
      ['complete', '--file', 'quicksort.py', '--line', '1', '--column', '1'],
      ['complete', '--model', model, '--file', 'quicksort.py', '--line', '0', '--column', '1'],
      ['complete', '--model', model, '--file', 'quicksort.py', '--line', '9', '--column', '1', ...greedy],
      ['explain', '--model', model, '--file', 'missing.py', '--lines', '1-2'],
      ['frobnicate'],
    ]) {
      const { code, stderr } = await inkling(args, dir);
      assert.equal(code, 2, `${args.join(' ')} → ${stderr}`);
      assert.match(stderr, /^inkling: /);
      assert.doesNotMatch(stderr, /\n\s+at /);
    }
  });

  it('names the model and what to do when the model folder is missing', async () => {
    const { code, stderr } = await inkling(['complete', '--model', join(dir, 'no-model'), '--file', 'quicksort.py', '--line', '1', '--column', '1'], dir);
    assert.equal(code, 1);
    assert.match(stderr, /no-model/);
    // A terminal hint names the flag, not the editor's setting.
    assert.match(stderr, /Check --model\.$/m);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });
});
