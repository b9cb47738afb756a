// `--set key=value` takes Inkling's setting names; a misspelt one is refused with the nearest real
// name, so a typo never silently leaves a default in place.
import { SETTINGS } from '../settings/settingsTable';

const KEYS = Object.keys(SETTINGS);

/** Undefined for a real setting; otherwise the message for the user. */
export function unknownSettingProblem(key: string): string | undefined {
  if (KEYS.includes(key)) return undefined;
  const nearest = nearestSetting(key);
  return nearest
    ? `Unknown setting "${key}" in --set. Did you mean ${nearest}?`
    : `Unknown setting "${key}" in --set. Setting names look like completion.temperature; the README's settings table lists them all.`;
}

/** The setting whose full name, or name after its group ("temperature"), is within a few edits of `key`. */
export function nearestSetting(key: string): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of KEYS) {
    const short = candidate.slice(candidate.indexOf('.') + 1);
    const distance = Math.min(editDistance(key.toLowerCase(), candidate.toLowerCase()), editDistance(key.toLowerCase(), short.toLowerCase()));
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? best.key : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
