// The fill-in-the-middle typing step as markdown: per keystroke and variant, how many prompt tokens
// the kept cache served and what that saved against a cold cache.
import type { Dtype } from '../../src/model/protocol';
import { formatRatio, formatSummary, markdownTable, summarize, type Summary } from './benchStats';
import type { BenchRun } from './runBench';
import type { KeystrokeSample } from './fimTyping';
import type { RoundSample } from './variantRound';

/** Median over a round's keystrokes, so each round gives one value (and paired ratios work). */
export function keystrokeMedian(sample: RoundSample, pick: (k: KeystrokeSample) => number): number | undefined {
  return summarize(sample.keystrokes.map(pick))?.median;
}

/** Keystroke `index` of `variant` across rounds (all keystrokes when index is undefined). */
export function keystrokesOf(run: BenchRun, variant: Dtype, index?: number): KeystrokeSample[] {
  const samples = run.samples.flat().filter((s) => s.variant === variant);
  return samples.flatMap((s) => (index === undefined ? s.keystrokes : s.keystrokes.slice(index, index + 1)));
}

function spreadRatio(summary: Summary | undefined): string {
  return summary ? `${formatRatio(summary.median)} (${formatRatio(summary.min)}–${formatRatio(summary.max)})` : '—';
}

function row(variant: Dtype, label: string, keys: readonly KeystrokeSample[]): string[] {
  const of = (pick: (k: KeystrokeSample) => number): string => formatSummary(summarize(keys.map(pick)));
  return [
    variant,
    label,
    of((k) => k.promptTokens),
    of((k) => k.reusedPromptTokens),
    of((k) => k.promptTokens - k.reusedPromptTokens),
    of((k) => k.keptTtftMs),
    of((k) => k.coldTtftMs),
    of((k) => k.coldReusedTokens),
    spreadRatio(summarize(keys.map((k) => k.keptTtftMs / k.coldTtftMs))),
  ];
}

/** The section's markdown; empty when the run skipped the step. */
export function renderFimSection(run: BenchRun): string {
  const { prompts, charsPerToken } = run.fim;
  const count = prompts.length - 1;
  if (count < 1) return '';
  const rows: string[][] = [];
  for (const variant of run.options.variants) {
    for (let i = 0; i < count; i++) rows.push(row(variant, JSON.stringify(prompts[i + 1].typed), keystrokesOf(run, variant, i)));
    rows.push(row(variant, 'all keystrokes', keystrokesOf(run, variant)));
  }
  const shared = prompts.slice(1).map((p) => `${p.sharedChars} of ${p.prompt.length}`).join(', ');
  return [
    `Fill-in-the-middle typing: ${JSON.stringify(run.options.fimTyped)} typed one character per request at a cursor mid-file (the same engine, ` +
      `requests one after another), each prompt made by \`buildPrompt\` with the Qwen template and contextTokens ${run.options.contextTokens}; ` +
      `the counter takes ${charsPerToken.toFixed(2)} characters per token (this tokenizer's ratio on the file). ` +
      `Characters each prompt shares with the one before: ${shared}. Before each keystroke the cache holds the previous keystroke's prompt; ` +
      'cold is the same prompt after another prompt emptied the cache.',
    '',
    markdownTable(['variant', 'typed so far', 'prompt tokens', 'reused', 'recomputed', 'kept cache: first token (ms)', 'cold cache: first token (ms)', 'cold: reused', 'kept/cold'], rows),
  ].join('\n');
}
