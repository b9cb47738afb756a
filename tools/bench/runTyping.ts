// Runs the typing trace through the real pipeline on both paths, alternating which goes first each
// round, so a neighbour's burst of work lands on both alike; per-round ratios then cancel most of it.
import { CompletionService } from '../../src/completion/completionService';
import type { GenerationRecord } from '../../src/completion/generation';
import { readSettings } from '../../src/settings/settings';
import { benchModelFolder } from './benchModel';
import type { TestModelDtype, TestModelKind } from '../makeModel/modelCache';
import { cacheFlushPrompt } from './benchPrompt';
import { calibratedCounter } from './fimPrompts';
import { machineInfo, processCpuSeconds, sampleLoad, type LoadSample, type MachineInfo } from './machineLoad';
import { typedFunction, typingDocument } from './typingDocument';
import { PATHS, startEngine, type BaselineName, type BenchEngine, type PathName } from './typingEngines';
import { measureReplay, percentile, type ReplayMetrics } from './typingMetrics';
import { replayTrace, type PauseMode } from './typingReplay';
import { recordTrace, summarizeTrace, type TraceSummary, type TypingTrace } from './typingTrace';

export interface TypingOptions {
  rounds: number;
  modes: PauseMode[];
  kind: TestModelKind;
  dtype: TestModelDtype;
  /** onnxruntime threads; 0 lets it choose, as the extension's default does. */
  threads: number;
  seed: number;
  /** Only the first N keystrokes of the trace (a shorter run); 0 for all. */
  keystrokes: number;
  waitCapMs: number;
  /** The path Inkling is compared with. */
  against: BaselineName;
  /** The typist's editor auto-closes brackets (typingEditor.ts). */
  autoClose: boolean;
  /** Where to also write every measurement as JSON (a report option; nothing measured depends on it). */
  jsonPath?: string;
}

export const defaultTypingOptions: TypingOptions = {
  rounds: 2,
  modes: ['asTyped', 'waiting'],
  kind: 'bench-scripted',
  dtype: 'q8',
  threads: 0,
  seed: 20261130,
  keystrokes: 0,
  waitCapMs: 10_000,
  against: 'naive',
  autoClose: false,
};

export interface PathRun {
  path: PathName;
  mode: PauseMode;
  round: number;
  metrics: ReplayMetrics;
  /** CPU seconds the model process spent during the replay. */
  modelCpuSeconds: number | undefined;
  /** Prompt windows the service computed ahead while the model was idle. */
  windowsMovedAhead: number;
}

export interface TypingRun {
  options: TypingOptions;
  machine: MachineInfo;
  startedAt: Date;
  durationMs: number;
  load: LoadSample[];
  trace: TraceSummary;
  charsPerToken: number;
  runs: PathRun[];
}

export type Progress = (line: string) => void;

export async function runTyping(options: TypingOptions, processEntry: string, progress: Progress = () => undefined): Promise<TypingRun> {
  const startedAt = new Date();
  const load = [sampleLoad()];
  const folder = await benchModelFolder(options.kind, options.dtype);
  const full = recordTrace(typedFunction, options.seed);
  const trace: TypingTrace = options.keystrokes > 0 ? { ...full, keystrokes: full.keystrokes.slice(0, options.keystrokes) } : full;
  const engines: BenchEngine[] = [];
  try {
    for (const name of ['inkling', options.against] as const) engines.push(await startEngine(PATHS[name], processEntry, folder, options.dtype, options.threads));
    progress(`model ${options.kind}-${options.dtype} loaded twice (one process per path)`);
    const whole = typingDocument.before + typedFunction + typingDocument.after;
    const charsPerToken = whole.length / (await engines[0].model.countTokens(whole));
    const runs: PathRun[] = [];
    for (let round = 0; round < options.rounds; round++) {
      for (const mode of options.modes) {
        const order = round % 2 === 0 ? engines : [...engines].reverse();
        for (const engine of order) {
          const run = await replayOnce(engine, trace, mode, round, charsPerToken, options);
          runs.push(run);
          const p50 = percentile(run.metrics.pauses.map((p) => p.latencyMs), 50);
          progress(`round ${round + 1}/${options.rounds} ${mode} ${engine.path.name}: pause → ghost text p50 ${p50 === undefined ? '—' : Math.round(p50)} ms, ` +
            `${run.metrics.pauses.filter((p) => p.shownInPause).length}/${run.metrics.pauses.length} pauses shown, ${run.metrics.generations.started} generations`);
        }
      }
      load.push(sampleLoad());
    }
    return { options, machine: machineInfo(), startedAt, durationMs: Date.now() - startedAt.getTime(), load, trace: summarizeTrace(trace), charsPerToken, runs };
  } finally {
    for (const engine of engines) engine.dispose();
  }
}

async function replayOnce(engine: BenchEngine, trace: TypingTrace, mode: PauseMode, round: number, charsPerToken: number, options: TypingOptions): Promise<PathRun> {
  const settings = readSettings(() => undefined).settings.completion;
  let records: GenerationRecord[] = [];
  let started = 0;
  const service = new CompletionService({
    model: () => engine.model,
    // The bench tokenizer packs fewer characters per token than Qwen's: the builder's estimate is set
    // to its ratio, so a prompt holds about as many real tokens as Inkling sends a real model.
    tokenCounter: calibratedCounter(charsPerToken),
    switches: engine.path.switches,
    onGenerationEnd: (record) => records.push(record),
  });
  service.onDidStartGeneration(() => started++);
  try {
    // A fresh start for each replay: the cache emptied, then the file's first completion (not counted),
    // as when the user opened it — which also gives the adaptive debounce its first measurement.
    await engine.model.generate({ prompt: cacheFlushPrompt, sampling: { ...settings.sampling, maxNewTokens: 1 }, stop: [] });
    await service.provide({
      document: typingDocument.before + typingDocument.after, offset: typingDocument.before.length, languageId: typingDocument.languageId,
      path: typingDocument.path, eol: '\n', indentation: { insertSpaces: true, tabSize: 2 }, settings, trigger: 'explicit',
    }, new AbortController().signal);
    while (records.length < started) await new Promise((resolve) => setTimeout(resolve, 20));
    records = [];
    started = 0;
    const movedBefore = service.counters.windowsMovedAhead;
    const cpuBefore = processCpuSeconds(engine.pid());
    const log = await replayTrace({
      trace, document: typingDocument, service, settings, mode, waitCapMs: options.waitCapMs, autoClose: options.autoClose, busy: () => records.length < started,
    });
    const cpuAfter = processCpuSeconds(engine.pid());
    return {
      path: engine.path.name,
      mode,
      round,
      metrics: measureReplay(log, records),
      modelCpuSeconds: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
      windowsMovedAhead: service.counters.windowsMovedAhead - movedBefore,
    };
  } finally {
    service.dispose();
  }
}

/**
 * For the engine benchmark's `--quick` line: one round of the trace's first `keystrokes` keys, the
 * typist waiting at each pause, both paths; the median pause → ghost text time of Inkling over the
 * naive path's. Takes about 1–2 minutes on a 2-core machine.
 */
export async function measurePauseP50VsNaive(processEntry: string, keystrokes = 160, progress?: Progress): Promise<{ pauseP50VsNaive: number | undefined; inklingP50Ms: number | undefined; naiveP50Ms: number | undefined }> {
  const run = await runTyping({ ...defaultTypingOptions, rounds: 1, modes: ['waiting'], keystrokes }, processEntry, progress);
  const p50 = (name: PathName) => percentile(run.runs.find((r) => r.path === name)?.metrics.pauses.map((p) => p.latencyMs) ?? [], 50);
  const inklingP50Ms = p50('inkling');
  const naiveP50Ms = p50('naive');
  const finite = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n);
  return { pauseP50VsNaive: finite(inklingP50Ms) && finite(naiveP50Ms) && naiveP50Ms > 0 ? inklingP50Ms / naiveP50Ms : undefined, inklingP50Ms, naiveP50Ms };
}
