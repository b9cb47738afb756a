// `inkling complete` and `inkling explain`: the editor's pipelines (same prompts, same engine, same
// post-processing) driven from a terminal, with optional timings as JSON.
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { loggerFrom } from '../base/logger';
import { CompletionService } from '../completion/completionService';
import { detectTemplate } from '../completion/templates';
import { resolveExplainLanguage } from '../explain/explainLanguage';
import { explain } from '../explain/explainSession';
import { EnginePort } from '../model/host/enginePort';
import { userMessageOf } from '../model/host/userMessage';
import type { GenerateResult, LoadedModel } from '../model/protocol';
import { readSettings, type InklingSettings } from '../settings/settings';
import type { SettingKey } from '../settings/settingsTable';
import { languageIdForPath } from '../languages/languageIds';
import { parseArgs, USAGE, UsageError, type CliArgs } from './args';
import { forTerminal } from './terminalHints';
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
  for (const p of problems) process.stderr.write(`inkling: ${forTerminal(p.message)}\n`);
  const file = path.resolve(args.file!);
  let text: string;
  let where: Where;
  try {
    // Everything the user typed is checked before a model loads: that takes seconds, a typo should not.
    text = readSource(file);
    where = locate(args, file, text);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`inkling: ${error.message}\n`);
    return 2;
  }
  // The same engine port as the editor's: same pool, load options, deadline and device fallback.
  const port = new EnginePort({
    processEntry: path.join(__dirname, 'modelProcess.js'),
    ...(process.env.INKLING_CACHE_DIR ? { cacheDir: process.env.INKLING_CACHE_DIR } : {}),
    log: loggerFrom((level, message) => { if (level === 'error' || process.env.INKLING_DEBUG) process.stderr.write(`[${level}] ${message}\n`); }),
    onEvent: (event) => {
      if (event.type === 'deviceFallback') process.stderr.write(`inkling: --set model.device=${event.requested} is not offered on ${event.platform}; using cpu.\n`);
    },
  });
  try {
    const started = performance.now();
    const modelId = looksLikePath(args.model!) ? path.resolve(args.model!) : args.model!;
    const modelSettings = { ...settings.model, dtype: args.dtype ?? settings.model.dtype };
    const model = await port.acquire(args.command === 'complete' ? 'completion' : 'explain', modelId, modelSettings);
    const loadMs = Math.round(performance.now() - started);
    if (where.kind === 'offset') await complete(model, args, settings, file, text, where.offset, loadMs);
    else await explainLines(model, args, settings, file, where.code, loadMs);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`inkling: ${error.message}\n`);
      return 2;
    }
    const { message, detail } = userMessageOf(error, args.model);
    process.stderr.write(`inkling: ${forTerminal(message)}\n`);
    if (detail && process.env.INKLING_DEBUG) process.stderr.write(`${detail}\n`);
    return 1;
  } finally {
    port.dispose();
  }
}

type Where = { kind: 'offset'; offset: number } | { kind: 'lines'; code: string };

/** The cursor (complete) or the selected lines (explain), checked against the file. */
function locate(args: CliArgs, file: string, text: string): Where {
  if (args.command === 'complete') {
    try {
      return { kind: 'offset', offset: offsetAt(text, args.line!, args.column!) };
    } catch (error) {
      throw new UsageError(`${path.basename(file)}: ${(error as Error).message}.`);
    }
  }
  const lines = text.split(/\r?\n/);
  const { start, end } = args.lines!;
  if (start > lines.length) throw new UsageError(`--lines ${start}-${end} is past the end of ${file} (${lines.length} lines).`);
  return { kind: 'lines', code: lines.slice(start - 1, Math.min(end, lines.length)).join('\n') };
}

async function complete(model: LoadedModel, args: CliArgs, settings: InklingSettings, file: string, text: string, offset: number, loadMs: number): Promise<void> {
  let running: Promise<GenerateResult> | undefined;
  const detection = detectTemplate(model.info, settings.completion.promptTemplate);
  if (!detection.canInfill) process.stderr.write(`inkling: ${model.info.model} cannot fill in the middle (${detection.reason}); completing left to right.\n`);
  const recorded: LoadedModel = { ...model, generate: (request, handlers) => (running = model.generate(request, handlers)) };
  const service = new CompletionService({ model: () => recorded });
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
  // The completion comes as soon as the fit stages decide; the engine's account of it a step later.
  const last = await running?.catch(() => undefined);
  service.dispose();
  const insertText = result?.text ?? '';
  if (!args.json) {
    process.stdout.write(insertText);
    return;
  }
  // The edit as the editor applies it: the text, and the range of the cursor's line it replaces (1-based).
  const start = { line: args.line!, column: args.column! };
  const range = { start, end: { line: start.line, column: start.column + (result?.replaceLength ?? 0) } };
  process.stdout.write(`${JSON.stringify({ insertText, range, model: model.info.model, timings: timings(loadMs, last) }, null, 2)}\n`);
}

async function explainLines(model: LoadedModel, args: CliArgs, settings: InklingSettings, file: string, code: string, loadMs: number): Promise<void> {
  const { result } = await explain(model, {
    code,
    languageId: languageIdForPath(file),
    fileName: path.basename(file),
    locale: resolveExplainLanguage(settings.explain.language, Intl.DateTimeFormat().resolvedOptions().locale).locale,
    maxInputTokens: settings.explain.maxInputTokens,
    sampling: settings.explain.sampling,
  }, { onText: args.json ? undefined : (piece) => process.stdout.write(piece) });
  if (args.json) process.stdout.write(`${JSON.stringify({ text: result.text, model: model.info.model, timings: timings(loadMs, result) }, null, 2)}\n`);
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

/** The source file, refused in words when it is not one: missing, a folder, a pipe or device (which would block), too large, unreadable. */
function readSource(file: string): string {
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'EACCES' ? `cannot read ${file}: permission denied.` : `cannot read ${file}: no such file.`);
  }
  if (stats.isDirectory()) throw new UsageError(`--file ${file} is a folder; give a source file.`);
  if (!stats.isFile()) throw new UsageError(`--file ${file} is not a regular file (a pipe, socket or device), so Inkling does not read it.`);
  if (stats.size > MAX_FILE_BYTES) throw new UsageError(`${file} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB.`);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (error as Error).message}.`);
  }
}

/** A folder that exists is a local model; otherwise "owner/name" is a hub repo id. */
function looksLikePath(model: string): boolean {
  return existsSync(model) || model.startsWith('.') || model.startsWith('/') || model.startsWith('~') || /^[A-Za-z]:[\\/]/.test(model) || !/^[\w.-]+\/[\w.-]+$/.test(model);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.stderr.write(`inkling: ${error instanceof UsageError ? error.message : forTerminal(userMessageOf(error).message)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
