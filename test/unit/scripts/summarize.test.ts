// scripts/summarize.mjs, the last word of `npm test`: its final line counts tests only, and a failed
// set-up step still fails the run, in the exit status and in that line's failure count.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../../tools/repoRoot';

interface Step { name: string; ok: boolean }
interface Layer { passed: number; failed: number; failures: Array<{ title: string; error: string }> }

/** Runs the summary over results written as scripts/test-all.sh writes them. */
function summarize(steps: Step[], layers: Record<string, Layer | undefined>): { lines: string[]; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'inkling-summary-'));
  try {
    writeFileSync(join(dir, 'steps.jsonl'), steps.map((s) => `${JSON.stringify({ ...s, seconds: 1 })}\n`).join(''));
    for (const [name, layer] of Object.entries(layers)) if (layer) writeFileSync(join(dir, `${name}.json`), JSON.stringify(layer));
    const run = spawnSync(process.execPath, [join(repoRoot(), 'scripts', 'summarize.mjs'), dir, ...Object.keys(layers)], { encoding: 'utf8' });
    return { lines: run.stdout.trimEnd().split('\n'), status: run.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const okSteps: Step[] = [{ name: 'npm ci', ok: true }, { name: 'build', ok: true }, { name: 'lint', ok: true }];
const green = (passed: number): Layer => ({ passed, failed: 0, failures: [] });

describe('scripts/summarize.mjs', () => {
  it('counts tests only in the last line; set-up steps get a line of their own', () => {
    const { lines, status } = summarize(okSteps, { unit: green(10), host: green(4), ui: green(2) });
    assert.equal(status, 0);
    assert.equal(lines[0], 'set-up: 3 of 3 steps ok');
    assert.deepEqual(lines.slice(1), ['unit: 10 passed, 0 failed', 'host: 4 passed, 0 failed', 'ui: 2 passed, 0 failed', '16 passed, 0 failed']);
  });

  it('fails the run on a failed set-up step, which shows in the last line\'s failure count', () => {
    const steps = [...okSteps.slice(0, 2), { name: 'lint', ok: false }];
    const { lines, status } = summarize(steps, { unit: green(10), host: green(4), ui: green(2) });
    assert.equal(status, 1);
    assert.equal(lines[0], 'set-up: 2 of 3 steps ok (failed: lint)');
    assert.ok(lines.includes('  ✗ [set-up] lint failed'), lines.join('\n'));
    assert.equal(lines.at(-1), '16 passed, 1 failed');
  });

  it('adds the layers\' failing tests and counts a layer whose runner wrote no summary as a failure', () => {
    const unit: Layer = { passed: 9, failed: 1, failures: [{ title: 'renders a link', error: 'AssertionError: expected x\n    at stack' }] };
    const { lines, status } = summarize(okSteps, { unit, host: undefined, ui: green(2) });
    assert.equal(status, 1);
    assert.ok(lines.includes('  ✗ [unit] renders a link: AssertionError: expected x'), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('  ✗ [host] no summary')), lines.join('\n'));
    assert.equal(lines.at(-1), '11 passed, 2 failed');
  });
});
