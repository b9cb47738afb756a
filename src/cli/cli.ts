// `inkling complete` and `inkling explain`: the editor's pipelines (same prompts, same engine, same
// post-processing) driven from a terminal, with optional timings as JSON.
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { readSettings, type InklingSettings } from '../common/settings';
import type { SettingKey } from '../common/settingsTable';
import { userMessageOf } from '../common/userMessage';
import { CompletionService } from '../completion/completionService';
import { resolveExplainLanguage } from '../explain/explainLanguage';
import { explain, type ExplainModel } from '../explain/explainSession';
import { ModelEngine } from '../model/modelEngine';
import type { GenerateResult, ModelInfo } from '../model/protocol';
import { parseArgs, USAGE, UsageError, type CliArgs } from './args';
import { languageIdForPath } from './languageIds';
import { detectIndentation, offsetAt } from './textPositions';

const MAX_FILE_BYTES = 64 * 1024 * 1024;

async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`inkling: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { settings, problems } = readSettings((key: SettingKey) => args.settings[key]);
  for (const p of problems) process.stderr.write(`inkling: ${p.message}\n`);
  const file = path.resolve(args.file!);
  const text = readSource(file);
  const engine = new ModelEngine({
    processEntry: path.join(__dirname, 'modelProcess.js'),
    log: (level, message) => { if (level === 'error' || process.env.INKLING_DEBUG) process.stderr.write(`[${level}] ${message}\n`); },
  });
  try {
    const started = performance.now();
    const info = await engine.load({
      model: looksLikePath(args.model!) ? path.resolve(args.model!) : args.model!,
      dtype: args.dtype ?? settings.model.dtype,
      device: settings.model.device,
      threads: settings.model.threads,
      ...(settings.model.hubUrl ? { remoteHost: settings.model.hubUrl } : {}),
      ...(process.env.INKLING_CACHE_DIR ? { cacheDir: process.env.INKLING_CACHE_DIR } : {}),
    });
    const loadMs = Math.round(performance.now() - started);
    if (args.command === 'complete') await complete(engine, info, args, settings, file, text, loadMs);
    else await explainLines(engine, info, args, settings, file, text, loadMs);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`inkling: ${error.message}\n`);
      return 2;
    }
    const { message, detail } = userMessageOf(error, args.model);
    process.stderr.write(`inkling: ${message}\n`);
    if (detail && process.env.INKLING_DEBUG) process.stderr.write(`${detail}\n`);
    return 1;
  } finally {
    engine.dispose();
  }
}

async function complete(engine: ModelEngine, info: ModelInfo, args: CliArgs, settings: InklingSettings, file: string, text: string, loadMs: number): Promise<void> {
  let last: GenerateResult | undefined;
  const service = new CompletionService({
    generator: { generate: async (request, handlers) => (last = await engine.generate(request, handlers)) },
    getModelInfo: () => info,
    onCannotInfill: (model, reason) => process.stderr.write(`inkling: ${model} cannot fill in the middle (${reason}); completing left to right.\n`),
  });
  let offset: number;
  try {
    offset = offsetAt(text, args.line!, args.column!);
  } catch (error) {
    throw new UsageError(`${path.basename(file)}: ${(error as Error).message}.`);
  }
  const result = await service.provide({
    document: text,
    offset,
    languageId: languageIdForPath(file),
    path: path.relative(process.cwd(), file).split(path.sep).join('/'),
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    indentation: detectIndentation(text),
    settings: settings.completion,
    trigger: 'explicit',
  }, new AbortController().signal);
  service.dispose();
  const insertText = result?.text ?? '';
  if (!args.json) {
    process.stdout.write(insertText);
    return;
  }
  // The edit as the editor applies it: the text, and the range of the cursor's line it replaces (1-based).
  const start = { line: args.line!, column: args.column! };
  const range = { start, end: { line: start.line, column: start.column + (result?.replaceLength ?? 0) } };
  process.stdout.write(`${JSON.stringify({ insertText, range, model: info.model, timings: timings(loadMs, last) }, null, 2)}\n`);
}

async function explainLines(engine: ModelEngine, info: ModelInfo, args: CliArgs, settings: InklingSettings, file: string, text: string, loadMs: number): Promise<void> {
  const lines = text.split(/\r?\n/);
  const { start, end } = args.lines!;
  if (start > lines.length) throw new UsageError(`--lines ${start}-${end} is past the end of ${file} (${lines.length} lines).`);
  const model: ExplainModel = { info, generate: (r, h) => engine.generate(r, h), chatPrompt: (m) => engine.chatPrompt(m) };
  const { result } = await explain(model, {
    code: lines.slice(start - 1, Math.min(end, lines.length)).join('\n'),
    languageId: languageIdForPath(file),
    fileName: path.basename(file),
    locale: resolveExplainLanguage(settings.explain.language, Intl.DateTimeFormat().resolvedOptions().locale).locale,
    maxInputTokens: settings.explain.maxInputTokens,
    sampling: settings.explain.sampling,
  }, { onText: args.json ? undefined : (piece) => process.stdout.write(piece) });
  if (args.json) process.stdout.write(`${JSON.stringify({ text: result.text, model: info.model, timings: timings(loadMs, result) }, null, 2)}\n`);
  else process.stdout.write('\n');
}

function timings(loadMs: number, result: GenerateResult | undefined) {
  const decodeMs = result ? result.totalMs - result.timeToFirstTokenMs : 0;
  return {
    loadMs,
    timeToFirstTokenMs: result ? Math.round(result.timeToFirstTokenMs) : null,
    totalMs: result ? Math.round(result.totalMs) : null,
    promptTokens: result?.promptTokens ?? 0,
    generatedTokens: result?.generatedTokens ?? 0,
    reusedPromptTokens: result?.reusedPromptTokens ?? 0,
    tokensPerSecond: result && result.generatedTokens > 1 && decodeMs > 0 ? Number(((result.generatedTokens - 1) / (decodeMs / 1000)).toFixed(2)) : null,
  };
}

function readSource(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`cannot read ${file}: no such file.`);
  }
  if (size > MAX_FILE_BYTES) throw new UsageError(`${file} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB.`);
  return readFileSync(file, 'utf8');
}

/** A folder that exists is a local model; otherwise "owner/name" is a hub repo id. */
function looksLikePath(model: string): boolean {
  return existsSync(model) || model.startsWith('.') || model.startsWith('/') || model.startsWith('~') || /^[A-Za-z]:[\\/]/.test(model) || !/^[\w.-]+\/[\w.-]+$/.test(model);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.stderr.write(`inkling: ${error instanceof UsageError ? error.message : userMessageOf(error).message}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
