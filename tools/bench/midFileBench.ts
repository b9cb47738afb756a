// Entry of the mid-file keystroke benchmark (out/tools/bench/midFileBench.js, `npm run bench:midfile`):
// prompt layouts side by side, each on a model process of its own, their order rotating at every
// keystroke. Report to stdout.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ModelEngine } from '../../src/model/host/modelEngine';
import { benchModelFolder } from './benchModel';
import type { TestModelDtype } from '../makeModel/modelCache';
import { repoRoot } from '../repoRoot';
import { formatNumber, markdownTable, summarize } from './benchStats';
import { calibratedCounter, defaultContextTokens } from './fimPrompts';
import { forEachFlag, oneOf, positiveInt, runMain } from './flagValues';
import { formatLoad, machineInfo, sampleLoad } from './machineLoad';
import { LAYOUTS, layoutPrompts, measureLayouts, promptChurn, SLACKS, slackLayout, type KeystrokeCost, type PromptChurn } from './midFile';
import { ESTIMATED_CHARS_PER_TOKEN } from '../../src/completion/tokenCounter';
import { typedFunction, typingDocument } from './typingDocument';

const usage = `Usage: node out/tools/bench/midFileBench.js [--rounds N] [--keystrokes N] [--cold-every N] [--dtype q8|q4|fp32] [--threads N]
  --keystrokes N  keystrokes run on the model per layout and round (default 40); the model-free count covers the whole function`;

async function main(argv: string[]): Promise<number> {
  let rounds = 2;
  let keystrokes = 40;
  let coldEvery = 8;
  let dtype: TestModelDtype = 'q8';
  let threads = 0;
  try {
    forEachFlag(argv, (name, value) => {
      if (name === '--rounds') rounds = positiveInt(name, value());
      else if (name === '--keystrokes') keystrokes = positiveInt(name, value());
      else if (name === '--cold-every') coldEvery = positiveInt(name, value());
      else if (name === '--dtype') dtype = oneOf(name, value(), ['q8', 'q4', 'fp32'] as const);
      else if (name === '--threads') threads = positiveInt(name, value());
      else throw new RangeError(`unknown option ${name}`);
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return 2;
  }
  const processEntry = join(repoRoot(), 'dist', 'modelProcess.js');
  if (!existsSync(processEntry)) throw new Error(`${processEntry} is missing: run "node esbuild.config.mjs --only=modelProcess,tests" first.`);
  const folder = await benchModelFolder('bench-scripted', dtype);
  const engines = LAYOUTS.map(() => new ModelEngine({ processEntry }));
  const engine = engines[0];
  const started = Date.now();
  const loads = [sampleLoad()];
  try {
    for (const e of engines) await e.load({ model: folder, dtype, device: 'cpu', threads, localOnly: true });
    const whole = typingDocument.before + typedFunction + typingDocument.after;
    const charsPerToken = whole.length / (await engine.countTokens(whole));
    const prompts = LAYOUTS.map((layout) => layoutPrompts(layout, calibratedCounter(charsPerToken), defaultContextTokens));
    const churn = prompts.map(promptChurn);
    const costs: KeystrokeCost[][][] = LAYOUTS.map(() => []);
    for (let round = 0; round < rounds; round++) {
      const measured = await measureLayouts(engines, prompts, keystrokes, coldEvery);
      for (const [i, layout] of LAYOUTS.entries()) {
        costs[i].push(measured[i]);
        process.stderr.write(`round ${round + 1}/${rounds} ${layout.name}: kept ${median(measured[i].map((c) => c.keptTtftMs))} ms, cold ${median(measured[i].flatMap((c) => (c.coldTtftMs === undefined ? [] : [c.coldTtftMs])))} ms\n`);
      }
      loads.push(sampleLoad());
    }
    process.stdout.write(`${report(costs, churn, charsPerToken, rounds, coldEvery, ['npm run bench:midfile --', ...argv].join(' '), started, loads.map(formatLoad))}\n`);
    return 0;
  } finally {
    for (const e of engines) e.dispose();
  }
}

function median(values: readonly number[]): number {
  return summarize(values)?.median ?? NaN;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

function report(costs: KeystrokeCost[][][], churn: PromptChurn[], charsPerToken: number, rounds: number, coldEvery: number, command: string, started: number, loads: string[]): string {
  const machine = machineInfo();
  const slackRows = [ESTIMATED_CHARS_PER_TOKEN, charsPerToken].flatMap((ratio) => SLACKS.map((slack) => {
    const counter = calibratedCounter(ratio);
    const prompts = layoutPrompts(slackLayout(slack), counter, defaultContextTokens);
    return [`${ratio.toFixed(2)}`, `${slack}`, String(promptChurn(prompts).restarts), formatNumber(mean(prompts.map((p) => counter.count(p)))) ];
  }));
  const churnRows = LAYOUTS.map((layout, i) => {
    const tokens = churn[i].changedChars.map((c) => c / charsPerToken);
    return [layout.name, `${formatNumber(median(tokens))} / ${formatNumber(mean(tokens))}`, String(churn[i].restarts), `${((100 * churn[i].restarts) / churn[i].changedChars.length).toFixed(1)} %`];
  });
  const rows = LAYOUTS.map((layout, i) => {
    const all = costs[i].flat();
    const recomputed = all.map((c) => c.promptTokens - c.reused);
    // Per round: the median kept keystroke over the median cold one, then the median of those.
    const perRound = costs[i].map((round) => median(round.map((c) => c.keptTtftMs)) / median(round.flatMap((c) => (c.coldTtftMs === undefined ? [] : [c.coldTtftMs]))));
    const meanRatio = costs[i].map((round) => mean(round.map((c) => c.keptTtftMs)) / mean(round.flatMap((c) => (c.coldTtftMs === undefined ? [] : [c.coldTtftMs]))));
    const cold = all.flatMap((c) => (c.coldTtftMs === undefined ? [] : [c.coldTtftMs]));
    return [
      layout.name,
      formatNumber(median(all.map((c) => c.promptTokens))),
      `${formatNumber(median(recomputed))} / ${formatNumber(mean(recomputed))}`,
      String(all.filter((c) => c.reused < 32).length / rounds),
      `${formatNumber(median(all.map((c) => c.keptTtftMs)))} / ${formatNumber(mean(all.map((c) => c.keptTtftMs)))}`,
      formatNumber(median(cold)),
      `${median(perRound).toFixed(2)}× / ${median(meanRatio).toFixed(2)}×`,
    ];
  });
  return [
    `Command: \`${command}\``,
    '',
    `Machine: ${machine.cores} cores (${machine.cpuModel}; ${machine.simd.join(', ')}), Node ${machine.node}. Model: \`bench-scripted\`, one process per layout. ${rounds} rounds, the layouts' order rotating every keystroke; ${Math.round((Date.now() - started) / 1000)} s. Load: ${loads.join(' / ')}.`,
    '',
    `Typed one character per request at the typing benchmark's cursor: the typing benchmark's function (${churn[0].changedChars.length} keystrokes). ` +
      `Prompts by \`buildPrompt\`, contextTokens ${defaultContextTokens}, counted at ${charsPerToken.toFixed(2)} characters per token.`,
    '',
    'Without a model, the whole function: the part of each prompt after what it shares with the one before (tokens at that ratio), and the keystrokes that change a prompt in its first half.',
    '',
    markdownTable(['layout', 'changed tokens per keystroke (median / mean)', 'keystrokes recomputing most of the prompt', 'share'], churnRows),
    '',
    `The extension's layout (suffix 0.15, kept start) with other prefix slacks — the share of the prefix's budget left free when its start must move — at the extension's estimate of ${ESTIMATED_CHARS_PER_TOKEN} characters a token (a real Qwen tokenizer's ratio on code) and at this tokenizer's: how often the window moves (the whole prompt recomputed) against the tokens each prompt keeps.`,
    '',
    markdownTable(['characters per token', 'prefix slack', 'window moves', 'mean prompt tokens'], slackRows),
    '',
    `With the model, the first ${costs[0][0]?.length ?? 0} keystrokes per layout and round; cold: every ${coldEvery}th keystroke again after a flush.`,
    '',
    markdownTable(['layout', 'prompt tokens', 'recomputed per keystroke (median / mean)', 'whole prompt recomputed (per pass)', 'kept cache: first token ms (median / mean)', 'cold: first token ms', 'kept/cold (median / mean)'], rows),
  ].join('\n');
}

runMain(main);
