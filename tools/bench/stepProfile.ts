// node esbuild.config.mjs --only=modelProcess,tests && node out/tools/bench/stepProfile.js
//
// Where one decoding step's time goes, on the bench-scripted model (the hub's export, a known
// completion) loaded in this process: the forward pass split into onnxruntime's `run`, the
// transformers.js wrapper and the loop around them; onnxruntime's own profiler per operator; the
// JavaScript per token (sampling over the vocabulary, the text stream) and one IPC message; what
// the prompt's chunk size and checking drafted tokens cost. Markdown to stdout, progress to stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sessionOptionsOverride } from '../../src/model/process/sessionOptions';
import type { Dtype } from '../../src/model/protocol';
import { benchModelFolder } from './benchModel';
import type { TestModelKind } from '../makeModel/modelCache';
import { measureReadBandwidth } from './bandwidthProbe';
import { cutToTokens, sourceText } from './benchPrompt';
import { formatNumber, formatSummary, markdownTable, type Summary } from './benchStats';
import { fimDocument } from './fimDocument';
import { calibratedCounter, defaultContextTokens, typingPrompts } from './fimPrompts';
import { forEachFlag, oneOf, positiveInt, runMain } from './flagValues';
import { loadInProcess } from './inProcessModel';
import { measureIpcRoundTrip } from './ipcProbe';
import { machineInfo, sampleLoad, formatLoad } from './machineLoad';
import { summarizeTrace, takeTrace } from './ortOpProfile';
import { bareRunMs, decodeBreakdown, jsCosts, prefillChunks, verifyWidths } from './stepSections';
import { weightBytes } from './weightBytes';

interface ProfileOptions {
  kind: TestModelKind;
  dtype: Dtype & ('fp32' | 'q8' | 'q4');
  threads: number;
  rounds: number;
}

const usage = `Usage: node out/tools/bench/stepProfile.js [--kind bench-scripted] [--dtype q8|q4|fp32] [--threads 2] [--rounds 3]`;

function parse(argv: readonly string[]): ProfileOptions {
  const options: ProfileOptions = { kind: 'bench-scripted', dtype: 'q8', threads: 2, rounds: 3 };
  forEachFlag(argv, (name, value) => {
    switch (name) {
      case '--kind': options.kind = oneOf(name, value(), ['bench-scripted', 'bench', 'successor', 'random'] as const); break;
      case '--dtype': options.dtype = oneOf(name, value(), ['fp32', 'q8', 'q4'] as const); break;
      case '--threads': options.threads = positiveInt(name, value()); break;
      case '--rounds': options.rounds = positiveInt(name, value()); break;
      default: throw new RangeError(`Unknown option ${name}`);
    }
  });
  return options;
}

const ms = (s: Summary | undefined): string => formatSummary(s);

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const options = parse(argv);
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const before = sampleLoad();
  const folder = await benchModelFolder(options.kind, options.dtype);
  const weights = weightBytes(folder, options.dtype);
  const bandwidth = await measureReadBandwidth({ threads: options.threads, bytes: 256 * 2 ** 20, passes: 6 });
  progress(`weights read per token ${(weights.perToken / 1e6).toFixed(0)} MB; read bandwidth ${(bandwidth / 1e9).toFixed(1)} GB/s`);

  const model = await loadInProcess(folder, options.dtype, options.threads);
  const out: string[] = [];
  try {
    const whole = fimDocument.before + fimDocument.after;
    const [fimPrompt] = typingPrompts(fimDocument, '', defaultContextTokens, calibratedCounter(whole.length / model.countTokens(whole)));
    const plain = await cutToTokens(sourceText(8 * 512), 512, async (text) => model.countTokens(text));
    const decode = await decodeBreakdown(model, fimPrompt.prompt, 48, options.rounds);
    progress(`decode step ${formatSummary(decode.stepMs)} ms over ${decode.steps} steps`);
    const bare = await bareRunMs(model, decode.contextTokens + 16, 1, 10 * options.rounds);
    const js = await jsCosts(model, plain.prompt);
    const ipc = await measureIpcRoundTrip();
    const chunks = await prefillChunks(model, plain.prompt, [32, 64, 128, 256], options.rounds);
    progress(`prompt chunks: ${chunks.map((c) => `${c.chunk}: ${formatSummary(c.ttftMs)}`).join(', ')}`);
    const widths = await verifyWidths(model, decode.contextTokens + 16, [1, 2, 3, 5, 9, 13, 17], 4 * options.rounds);
    progress(`widths: ${widths.map((w) => `${w.width}: ${formatSummary(w.ms)}`).join(', ')}`);

    const ceiling = bandwidth / weights.perToken;
    const tokensPerSecond = decode.stepMs ? 1000 / decode.stepMs.median : NaN;
    const machine = machineInfo();
    out.push(
      `### Step profile, ${new Date().toISOString()}`,
      '',
      `Command: \`node out/tools/bench/stepProfile.js ${argv.join(' ')}\`. Model \`${options.kind}\` ${options.dtype}, ${options.threads} threads, in this process. ` +
        `Machine: ${machine.cores} cores (${machine.cpuModel}; ${machine.simd.join(', ')}). Load before: ${formatLoad(before)}; after: ${formatLoad(sampleLoad())}.`,
      '',
      `Weights read per token: ${(weights.perToken / 1e6).toFixed(0)} MB (of ${(weights.total / 1e6).toFixed(0)} MB; the gathered embedding, ${(weights.gathered / 1e6).toFixed(0)} MB, is read one row a token). ` +
        `Read bandwidth in this run: ${(bandwidth / 1e9).toFixed(1)} GB/s on ${options.threads} threads → ceiling ${formatNumber(ceiling)} tokens/s; ` +
        `the decoding step below runs at ${formatNumber(tokensPerSecond)} tokens/s, ${(tokensPerSecond / ceiling).toFixed(2)}× the ceiling.`,
      '',
      `One decoding step (greedy, FIM prompt of ${decode.contextTokens} tokens, ${decode.steps} steps over ${options.rounds} rounds), medians (min–max) in ms:`,
      '',
      markdownTable(['part', 'ms'], [
        ['whole step (end of a pass to the end of the next)', ms(decode.stepMs)],
        ['forward pass (transformers.js `forward`)', ms(decode.forwardMs)],
        ['… onnxruntime `run` (inference and the copy of its outputs into JavaScript)', ms(decode.runMs)],
        ['… transformers.js around `run`', ms(decode.wrapperMs)],
        ['the loop between passes (sampling, text stream, cache hand-over, yield)', ms(decode.loopMs)],
        [`garbage collection: ${decode.gcPerStep.toFixed(2)} pauses a pass (${decode.majorGcPerStep.toFixed(2)} major), total per pass`, decode.gcMsPerStep.toFixed(2)],
        [`a bare \`run\` of one token after ${decode.contextTokens + 16} positions, feeds built once`, ms(bare)],
        ['greedy choice over the vocabulary', ms(js.argmaxMs)],
        [`sampling at the completion defaults (temperature ${0.1}, top-k 40, top-p 0.95)`, ms(js.sampleMs)],
        ['text stream, per token', ms(js.streamPushMs)],
        ['one IPC message to a child and back (advanced serialization)', ms(ipc)],
      ]),
      '',
      `The prompt in chunks (plain ${plain.tokens}-token prompt, cold cache, time to first token in ms; ratio: median of per-round ratios to the whole prompt in one pass):`,
      '',
      markdownTable(['tokens per pass', 'first token (ms)', 'vs one pass'], chunks.map((c) => [
        c.chunk === Number.MAX_SAFE_INTEGER ? 'whole prompt' : String(c.chunk), ms(c.ttftMs), c.vsWhole ? `${c.vsWhole.median.toFixed(2)}×` : '—',
      ])),
      '',
      `Checking drafts: one pass over 1 + k new tokens after ${decode.contextTokens + 16} positions (bare \`run\`):`,
      '',
      markdownTable(['tokens in the pass', 'ms', 'vs one token'], widths.map((w) => [String(w.width), ms(w.ms), w.vsOne ? `${w.vsOne.toFixed(2)}×` : '—'])),
    );
  } finally {
    await model.dispose();
  }
  out.push('', await operatorProfile(folder, options, progress));
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

/** A second load with onnxruntime's profiler on: per operator type, the kernels' time in a decoding step. */
async function operatorProfile(folder: string, options: ProfileOptions, progress: (line: string) => void): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'inkling-ort-profile-'));
  const prefix = join(dir, 'ort');
  process.env[sessionOptionsOverride] = JSON.stringify({ enableProfiling: true, profileFilePrefix: prefix });
  const model = await loadInProcess(folder, options.dtype, options.threads);
  delete process.env[sessionOptionsOverride];
  try {
    const whole = fimDocument.before + fimDocument.after;
    const [fimPrompt] = typingPrompts(fimDocument, '', defaultContextTokens, calibratedCounter(whole.length / model.countTokens(whole)));
    const { forwards } = await model.generate({ prompt: fimPrompt.prompt, sampling: { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, maxNewTokens: 48 }, stop: [] }, { promptLookup: false });
    model.session.endProfiling();
    const profile = summarizeTrace(takeTrace(prefix), (i) => i > 0 && forwards[i]?.tokens === 1);
    progress(`operator profile: ${profile.runs} decoding passes, ${profile.msPerRun.toFixed(1)} ms each inside onnxruntime`);
    return [
      `onnxruntime's profiler, ${profile.runs} decoding passes (one token each): ${profile.msPerRun.toFixed(2)} ms per pass inside onnxruntime, ` +
        `of which kernels ${profile.kernelMsPerRun.toFixed(2)} ms. Per operator type (profiling adds its own overhead; compare shares, not totals):`,
      '',
      markdownTable(['operator', 'ms per pass', 'share'], profile.ops.filter((o) => o.share >= 0.002).map((o) => [o.op, o.msPerRun.toFixed(2), `${(o.share * 100).toFixed(1)} %`])),
    ].join('\n');
  } finally {
    await model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
