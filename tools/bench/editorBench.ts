// Entry of the editor benchmark (out/tools/bench/editorBench.js, `npm run bench:editor`): what a user
// feels in a real VS Code (code-server + chromium, the packaged .vsix, the bench-scripted q8 model).
//   1. The first ghost text after opening a file, a 300-line file against a 5 MB one (same code around
//      the cursor, so the same prompt), alternating which comes first, with the CPU each process used.
//   2. The typing trace typed into each file at human speed, the typist waiting at pauses for the ghost text.
// Progress to stderr, the markdown report to stdout.
import { writeFileSync } from 'node:fs';
import { benchModelFolder } from './benchModel';
import { formatNumber, markdownTable, summarize } from './benchStats';
import { measureFirstGhost, replayInEditor, SETTLE_MS, type EditorTrace, type FirstGhost, type MissedPause } from './editorRuns';
import { BENCH_CONTEXT_TOKENS, openEditorSession, turnCompletionsOff, TYPIST_SETTINGS } from './editorSession';
import { runMain } from './flagValues';
import { parseEditorBenchArgs, usage, type EditorBenchOptions } from './editorOptions';
import type { GhostSplit } from './ghostSplit';
import { formatLoad, machineInfo, sampleLoad } from './machineLoad';
import { ROLES } from './processCpu';
import { percentile } from './typingMetrics';
import { typedFunction } from './typingDocument';
import { GAP_MS, recordTrace, seededRandom, summarizeTrace } from './typingTrace';

const FIRST_TYPED = 'const total = ';
const typedInRound = (round: number) => FIRST_TYPED.replace('total', `total${round + 1}`);

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  let options: EditorBenchOptions;
  try {
    options = parseEditorBenchArgs(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return 2;
  }
  const { rounds, traceFiles, keystrokes, capMs, firstCapMs } = options;
  const started = Date.now();
  const loads = [sampleLoad()];
  const model = await benchModelFolder('bench-scripted', 'q8');
  const session = await openEditorSession(model, options.settings, options.vsix);
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  progress(`code-server ready with Inkling and ${model} (${Math.round((Date.now() - started) / 1000)} s)`);
  if (options.completionsOff) {
    await turnCompletionsOff(session);
    progress('completions off: the first-ghost rounds measure the editor alone');
  }
  try {
    const random = seededRandom(7);
    const gaps = Array.from({ length: FIRST_TYPED.length + 2 }, () => Math.round(GAP_MS.min + (GAP_MS.max - GAP_MS.min) * random()));
    const firsts: FirstGhost[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const file of round % 2 === 0 ? (['small', 'huge'] as const) : (['huge', 'small'] as const)) {
        // A new name each round: the same text at the same place would come from Inkling's cache.
        const first = await measureFirstGhost(session, file, typedInRound(round), gaps, firstCapMs);
        firsts.push(first);
        progress(`round ${round + 1}/${rounds} ${file}: first ghost text ${first.latencyMs === undefined ? `none within ${firstCapMs / 1000} s` : `${Math.round(first.latencyMs)} ms`}${first.slow ? ` (tab "${first.slow.activeTab}", focus ${first.slow.focus}, ${first.slow.screenshot})` : ''}`);
      }
      loads.push(sampleLoad());
    }
    const full = recordTrace(typedFunction);
    const trace = keystrokes > 0 ? { ...full, keystrokes: full.keystrokes.slice(0, keystrokes) } : full;
    const traces: EditorTrace[] = [];
    for (const file of traceFiles) {
      const run = await replayInEditor(session, file, trace, capMs, options.autoClose);
      traces.push(run);
      progress(`trace in the ${file} file: ${run.pauses.filter((p) => p.latencyMs !== undefined && p.latencyMs <= p.pauseMs).length}/${run.pauses.length} pauses shown in time${run.firstMiss ? `; none at all after keystroke ${run.firstMiss.keystroke + 1} (tab "${run.firstMiss.activeTab}", focus ${run.firstMiss.focus})` : ''}`);
      loads.push(sampleLoad());
    }
    if (options.logFile) writeFileSync(options.logFile, session.inklingLog());
    const command = ['npm run bench:editor --', ...argv].join(' ');
    process.stdout.write(`${report({ firsts, traces, trace: summarizeTrace(trace), capMs, firstCapMs, completionsOff: options.completionsOff, command, started, loads: loads.map(formatLoad), rounds, settings: options.settings })}\n`);
    return 0;
  } finally {
    await session.close();
  }
}

interface ReportInput {
  firsts: FirstGhost[];
  traces: EditorTrace[];
  trace: ReturnType<typeof summarizeTrace>;
  capMs: number;
  firstCapMs: number;
  completionsOff: boolean;
  command: string;
  started: number;
  loads: string[];
  rounds: number;
  /** The run's --setting values. */
  settings: Readonly<Record<string, unknown>>;
}

const fmt = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? 'none' : formatNumber(n));

function spread(values: readonly number[]): string {
  const s = summarize(values);
  return s ? `${fmt(s.median)}${s.min === s.max ? '' : ` (${fmt(s.min)}–${fmt(s.max)})`}` : '—';
}

function report(input: ReportInput): string {
  const machine = machineInfo();
  const of = (file: 'small' | 'huge') => input.firsts.filter((f) => f.file === file);
  const latency = (f: FirstGhost) => f.latencyMs ?? Infinity;
  // Per round: huge over small, both measured back to back.
  const ratios: number[] = [];
  for (let round = 0; round < input.rounds; round++) {
    const [a, b] = [of('huge')[round], of('small')[round]];
    if (a?.latencyMs !== undefined && b?.latencyMs) ratios.push(a.latencyMs / b.latencyMs);
  }
  const firstRows = [
    ['last keystroke → first ghost text (ms)', spread(of('small').map(latency)), spread(of('huge').map(latency)), ratios.length ? `${spread(ratios)}×` : '—'],
    ...SPLIT_ROWS.map(([label, part]) => [label, spread(of('small').flatMap(splitPart(part))), spread(of('huge').flatMap(splitPart(part))), '']),
    ...ROLES.map((role) => [`CPU s while waiting: ${role}`, spread(of('small').map((f) => f.cpu[role])), spread(of('huge').map((f) => f.cpu[role])), '']),
    ...ROLES.map((role) => [`CPU s opening the file and finding the place (${SETTLE_S} s): ${role}`, spread(of('small').map((f) => f.settleCpu[role])), spread(of('huge').map((f) => f.settleCpu[role])), '']),
  ];
  const lines = (file: 'small' | 'huge') => of(file).flatMap((f) => f.inklingLines.map((l) => `- ${file}: \`${l.replace(/^.*?completion/, 'completion')}\``));
  const traceRows = input.traces.map((t) => {
    const latencies = t.pauses.map((p) => p.latencyMs ?? Infinity);
    const long = t.pauses.filter((p) => p.pauseMs >= 400);
    const inTime = (p: { latencyMs: number | undefined; pauseMs: number }) => p.latencyMs !== undefined && p.latencyMs <= p.pauseMs;
    return [t.file, `${t.pauses.length}`, fmt(percentile(latencies, 50)), fmt(percentile(latencies, 95)),
      `${t.pauses.filter(inTime).length}`, long.length ? `${Math.round((100 * long.filter(inTime).length) / long.length)} %` : '—',
      `${t.pauses.filter((p) => p.latencyMs === undefined).length}`, `${t.windowsMovedAhead}`, `${t.sent}/${t.seen}`, `${Math.round(t.durationMs / 1000)}`];
  });
  return [
    `Command: \`${input.command}\``,
    '',
    `Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB. code-server with the packaged .vsix, headless chromium, the \`bench-scripted\` q8 model; ` +
      `${Math.round((Date.now() - input.started) / 1000)} s in all. Load: ${input.loads.join(' / ')}.`,
    '',
    `Editor settings besides VS Code's defaults: ${Object.entries({ ...TYPIST_SETTINGS, ...input.settings }).map(([k, v]) => `\`${k}: ${JSON.stringify(v)}\``).join(', ')}; quick suggestions off (they hide ghost text). ` +
      `\`inkling.completion.contextTokens: ${BENCH_CONTEXT_TOKENS}\`: about 512 of the bench tokenizer's tokens, as 512 are of Qwen's.`,
    '',
    `### First ghost text: 300-line file against 5 MB file (${input.rounds} rounds, alternating)`,
    '',
    ...(input.completionsOff ? [`**Inkling's completions were off** (turned off once the model had loaded): no ghost text comes, and the CPU "while waiting" is what the editor and the idle model process did in the ${input.firstCapMs / 1000} s after the same keystrokes.`, ''] : []),
    `Open the file, go to the line, wait ${SETTLE_S} s as a user finding their place, type \`${typedInRound(0)}\` (\`total2\`, … in later rounds) briskly, time the ghost text from the last keydown (page clock), waiting up to ${input.firstCapMs / 1000} s (CPU "while waiting" counts until the ghost text or that cap). Ratio: 5 MB / 300 lines per round.`,
    '',
    markdownTable(['', '300 lines', '5 MB', '5 MB / 300 lines'], firstRows),
    '',
    ...(lines('small').length + lines('huge').length > 0 ? ['Inkling\'s own account (its debug log):', '', ...lines('small'), ...lines('huge'), ''] : []),
    // With completions off every round is "none": nothing to look into.
    ...input.firsts.filter((f) => f.slow && !input.completionsOff).map((f) => `${missLine(`First ghost text over 5 s or none (${f.file} file`, f.slow!)}\n`),
    ...(input.traces.length ? [
      `### The typing trace in the editor (${input.trace.keystrokes} keystrokes, ${input.trace.pauses} pauses; the typist waits up to ${input.capMs} ms at each)`,
      '',
      markdownTable(['file', 'pauses', 'pause → ghost text p50 (ms)', 'p95 (ms)', 'shown within the recorded pause', '… of pauses ≥ 400 ms', 'none within the cap', 'prompt windows moved ahead while idle', 'keys sent/seen', 'wall s'], traceRows),
      ...input.traces.filter((t) => t.firstMiss).map((t) => missLine(`No ghost text within the cap (${t.file} file`, t.firstMiss!)),
      ...input.traces.map(lateLine),
    ] : []),
  ].join('\n');
}

const SETTLE_S = SETTLE_MS / 1000;

/** The pauses of 400 ms or more whose ghost text came after the typist went on: where to look. */
function lateLine(trace: EditorTrace): string {
  const late = trace.pauses.filter((p) => p.pauseMs >= 400 && !(p.latencyMs !== undefined && p.latencyMs <= p.pauseMs));
  if (!late.length) return '';
  const list = late.map((p) => `after keystroke ${p.keystroke + 1} (${new Date(p.keyAt).toISOString().slice(11, 23)} UTC), pause ${p.pauseMs} ms: ${p.latencyMs === undefined ? 'none' : `${Math.round(p.latencyMs)} ms`}`);
  return `\nPauses ≥ 400 ms whose ghost text came late (${trace.file} file): ${list.join('; ')}.`;
}

const SPLIT_ROWS: Array<[string, keyof GhostSplit]> = [
  ['… VS Code: keystroke → Inkling asked (ms)', 'beforeAskMs'],
  ['… Inkling: asked → answered (ms)', 'inklingMs'],
  ['… VS Code: answered → ghost text drawn (ms)', 'drawMs'],
];
const splitPart = (part: keyof GhostSplit) => (first: FirstGhost) => (first.split ? [first.split[part]] : []);

/** `lead` names what happened and opens the parenthesis this closes. */
function missLine(lead: string, miss: MissedPause): string {
  return `\n${lead}, after keystroke ${miss.keystroke + 1}): active tab "${miss.activeTab}", focus on ${miss.focus}; screenshot ${miss.screenshot}.`;
}

runMain(main);
