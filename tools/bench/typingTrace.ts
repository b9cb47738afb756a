// A typist's keystrokes with their timing, made from a seed so every run replays the same trace.
// Within a burst the gaps are 30–150 ms (a triangular spread around 90 ms: a fast but human typist);
// people pause (300–800 ms) where they think: mostly at the start of a new line, often after `=`,
// `(`, `{` or `,`, sometimes between words and rarely inside one; now and then they hit a wrong key,
// notice it and fix it with Backspace.
import type { Key } from './typingEditor';
import { seededRandom } from '../../src/model/process/sampling';

export interface Keystroke {
  key: Key;
  /** How long the typist waits after this key before the next (after the last: how long they watch). */
  gapAfterMs: number;
}

export interface TypingTrace {
  seed: number;
  keystrokes: Keystroke[];
}

export const GAP_MS = { min: 30, max: 150 } as const;
export const PAUSE_MS = { min: 300, max: 800 } as const;
/** A gap this long or longer is a pause: the moment a suggestion can help. */
export const PAUSE_THRESHOLD_MS = PAUSE_MS.min;

/** Chances of pausing after a key, by what was just typed. */
const PAUSE_CHANCE = { newLine: 0.6, afterOpener: 0.3, betweenWords: 0.1, insideWord: 0.02 } as const;
const TYPO_CHANCE = 0.015;

// The sampler's seeded generator: the same sequence for a seed on every machine.
export { seededRandom };

/** The keys that type `text` (lines without their indentation: the editor adds it). */
export function keysFor(text: string): Key[] {
  const keys: Key[] = [];
  text.split('\n').forEach((line, index) => {
    if (index > 0) keys.push({ kind: 'enter' });
    for (const char of line.trimStart()) keys.push({ kind: 'text', char });
  });
  return keys;
}

export function recordTrace(text: string, seed = 20261130): TypingTrace {
  const random = seededRandom(seed);
  const between = (min: number, max: number) => Math.round(min + (max - min) * random());
  const gap = () => Math.round(GAP_MS.min + ((GAP_MS.max - GAP_MS.min) / 2) * (random() + random()));
  const keystrokes: Keystroke[] = [];
  const keys = keysFor(text);
  keys.forEach((key, index) => {
    if (key.kind === 'text' && /[a-z]/.test(key.char) && random() < TYPO_CHANCE) {
      keystrokes.push({ key: { kind: 'text', char: neighbourOf(key.char) }, gapAfterMs: between(150, 280) });
      keystrokes.push({ key: { kind: 'backspace' }, gapAfterMs: gap() });
    }
    const isLast = index === keys.length - 1;
    const pause = isLast || random() < pauseChance(key, keys[index + 1]);
    keystrokes.push({ key, gapAfterMs: pause ? between(PAUSE_MS.min, PAUSE_MS.max) : gap() });
  });
  return { seed, keystrokes };
}

function pauseChance(key: Key, next: Key | undefined): number {
  if (key.kind === 'enter') return PAUSE_CHANCE.newLine;
  if (key.kind !== 'text') return 0;
  if (/[=({,]/.test(key.char) || (key.char === ' ' && next?.kind === 'text' && /[=({]/.test(next.char))) return PAUSE_CHANCE.afterOpener;
  if (key.char === ' ') return PAUSE_CHANCE.betweenWords;
  return /\w/.test(key.char) && next?.kind === 'text' && /\w/.test(next.char) ? PAUSE_CHANCE.insideWord : PAUSE_CHANCE.betweenWords;
}

/** The key beside `char` on a QWERTY row: the kind of slip a typist makes. */
function neighbourOf(char: string): string {
  const rows = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
  for (const row of rows) {
    const at = row.indexOf(char);
    if (at >= 0) return row[at + 1] ?? row[at - 1];
  }
  return char;
}

export interface TraceSummary {
  keystrokes: number;
  pauses: number;
  /** Pauses of 400 ms or more (the target counts these). */
  longPauses: number;
  typos: number;
  durationMs: number;
}

export function summarizeTrace(trace: TypingTrace): TraceSummary {
  const gaps = trace.keystrokes.map((k) => k.gapAfterMs);
  return {
    keystrokes: trace.keystrokes.length,
    pauses: gaps.filter((g) => g >= PAUSE_THRESHOLD_MS).length,
    longPauses: gaps.filter((g) => g >= 400).length,
    typos: trace.keystrokes.filter((k) => k.key.kind === 'backspace').length,
    durationMs: gaps.reduce((a, b) => a + b, 0),
  };
}
