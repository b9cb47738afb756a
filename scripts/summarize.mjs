// Adds up scripts/test-all.sh's results: the layers' summaries (<layer>.json: {passed, failed, failures})
// give the test counts; set-up steps (steps.jsonl) get a line of their own and are not counted as
// tests, but a failed step is one failure in the last line. A missing summary is one failure: that
// layer's runner died. Prints what failed, then the one last line "N passed, N failed"; exits 1 on
// any failure.
//   node scripts/summarize.mjs <results dir> <layer>...
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, ...layers] = process.argv.slice(2);
let passed = 0;
const failures = [];

const stepsFile = join(dir, 'steps.jsonl');
const steps = existsSync(stepsFile) ? readFileSync(stepsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
for (const step of steps) if (!step.ok) failures.push(`[set-up] ${step.name} failed`);
const stepsOk = steps.filter((s) => s.ok).length;
console.log(`set-up: ${stepsOk} of ${steps.length} steps ok${steps.length > stepsOk ? ` (failed: ${steps.filter((s) => !s.ok).map((s) => s.name).join(', ')})` : ''}`);

for (const layer of layers) {
  const file = join(dir, `${layer}.json`);
  if (!existsSync(file)) {
    failures.push(`[${layer}] no summary (${file}): the layer's runner crashed`);
    continue;
  }
  const summary = JSON.parse(readFileSync(file, 'utf8'));
  passed += summary.passed;
  for (const f of summary.failures) failures.push(`[${layer}] ${f.title}: ${String(f.error).split('\n')[0]}`);
  // Trust the count even if a runner recorded fewer failure details than failures.
  for (let i = summary.failures.length; i < summary.failed; i++) failures.push(`[${layer}] (unnamed failure)`);
  console.log(`${layer}: ${summary.passed} passed, ${summary.failed} failed`);
}

if (failures.length > 0) {
  console.log('\nFailures:');
  for (const f of failures) console.log(`  ✗ ${f}`);
  console.log('');
}
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length > 0 ? 1 : 0);
