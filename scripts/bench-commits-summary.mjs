// Summarizes the reports of scripts/bench-commits.sh: for every row of the engine bench's main table
// ("| metric | q8 | q4 | ratio |"), the median (min–max) of each side's runs per variant and the
// ratio of the medians, after / before.
//   node scripts/bench-commits-summary.mjs DIR [DIR...]     (DIR holds a-<n>.md and b-<n>.md)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: node scripts/bench-commits-summary.mjs DIR [DIR...]');
  process.exit(2);
}

/** side → metric → variant → values */
const values = { a: new Map(), b: new Map() };
let variants = [];
const runs = { a: 0, b: 0 };
for (const dir of dirs) {
  for (const name of readdirSync(dir).filter((n) => /^[ab]-\d+\.md$/.test(n))) {
    const side = name[0];
    const lines = readFileSync(join(dir, name), 'utf8').split('\n');
    const header = lines.findIndex((l) => l.startsWith('| metric |'));
    if (header < 0) continue;
    runs[side]++;
    variants = lines[header].split('|').map((c) => c.trim()).filter(Boolean).slice(1, -1);
    for (const line of lines.slice(header + 2)) {
      if (!line.startsWith('|')) break;
      const cells = line.split('|').map((c) => c.trim()).slice(1, -1);
      const metric = cells[0];
      if (!values[side].has(metric)) values[side].set(metric, new Map());
      variants.forEach((variant, i) => {
        const number = Number.parseFloat(cells[i + 1]);
        if (!Number.isFinite(number)) return;
        const byVariant = values[side].get(metric);
        byVariant.set(variant, [...(byVariant.get(variant) ?? []), number]);
      });
    }
  }
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const fmt = (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1));
console.log(`Runs: before ${runs.a}, after ${runs.b}. Medians (min–max) over runs; after/before is the ratio of the medians.\n`);
console.log('| metric | variant | before | after | after/before |');
console.log('| --- | --- | --- | --- | --- |');
for (const [metric, byVariant] of values.a) {
  for (const variant of variants) {
    const before = byVariant.get(variant);
    const after = values.b.get(metric)?.get(variant);
    if (!before?.length || !after?.length) continue;
    const range = (xs) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
    console.log(`| ${metric} | ${variant} | ${range(before)} | ${range(after)} | ${(median(after) / median(before)).toFixed(2)}× |`);
  }
}
