// The inline-completion request lifecycle, free of VS Code: prefilter → fit place → cache / typed-ahead →
// in-flight reuse → debounce → prompt → generate (one at a time) through the fit stages → cache.
// A slow model's completion may be handed out as a preview first (its complete lines); when the whole
// completion is in the cache, listeners hear of it so the editor can ask again and show all of it.
import { AdaptiveDebounce } from './adaptiveDebounce';
import { completionEnabledFor } from './languageSwitch';
import { silentLogger, type Logger } from '../base/logger';
import { promptBudget, type GenerateRequest, type LoadedModel } from '../model/protocol';
import { CompletionCache, cacheKey } from './completionCache';
import type { CompletionCounters, CompletionRequest, CompletionResult, CompletionSource, CompletionStats } from './completionTypes';
import type { CursorContext } from './cursorContext';
import { readCursorContext, windowCharsFor } from './cursorContext';
import { withLineEnds } from './documentFormat';
import type { FitEdit, FitPlace } from './fitCompletion';
import { startFit } from './fitCompletion';
import type { FitStream } from './fitStream';
import { Generation } from './generation';
import type { GenerationOutcome, GenerationRecord, PreviewTerms } from './generation';
import { prefilterDocument } from './prefilter';
import { buildPrompt, type BuiltPrompt, type PromptOptions } from './promptBuilder';
import { selectSnippets } from './snippets';
import type { TemplateDetection } from './templates';
import { detectTemplate } from './templates';
import { estimateTokens, type TokenCounter } from './tokenCounter';
import type { Position } from './typedAhead';
import { anchorAt, typedSince, untypedRest } from './typedAhead';
import { middleComesLast, typedMiddlePrompt, type MiddleAnchor } from './typedMiddle';
import { mayNeedMove, WindowAhead, type AheadCandidate, type MovedPrefix } from './windowAhead';

export interface CompletionServiceOptions {
  /** The completion model when it is loaded; while it is not, requests are skipped. */
  model(): LoadedModel | undefined;
  log?: Logger;
  now?: () => number;
  /** Resolves after `ms`, or early once `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  tokenCounter?: TokenCounter;
  /** How long a generation nobody waits for keeps running in case the next keystroke can use it. */
  orphanGraceMs?: number;
  cacheSize?: number;
  /** Parts of the pipeline that benchmarks turn off to measure what each is worth; all on by default. */
  switches?: Partial<PipelineSwitches>;
  /** Told about every generation once the engine has answered it (benchmarks and statistics). */
  onGenerationEnd?: (record: GenerationRecord) => void;
}

export interface PipelineSwitches {
  /** Hand out the completion and stop the model as soon as the fit stages decide where it ends. */
  earlyStop: boolean;
  /** Answer a repeated position, or one the user typed into, from finished completions. */
  completionCache: boolean;
  /** Let a request wait for a running generation whose text the user is typing. */
  inflightReuse: boolean;
  /** Wait about the measured time to first token before asking, at most `debounceMs` (else `debounceMs`). */
  adaptiveDebounce: boolean;
  /** Keep the prompt's start where it was while the user types at one place (the KV cache serves it). */
  stablePrompt: boolean;
  /** Show a slow model's complete lines while it writes the rest. */
  preview: boolean;
  /** Compute the prompt's next window while the model is idle, before a keystroke must (windowAhead.ts). */
  windowAhead: boolean;
  /** Append the text typed at one place to the last prompt's middle instead of rebuilding it (typedMiddle.ts). */
  typedMiddle: boolean;
  /** Let typed middles and typed-ahead reach past closers the editor auto-closed for the typed text (autoClosed.ts). */
  pastAutoClosed: boolean;
}

export const ALL_SWITCHES_ON: Readonly<PipelineSwitches> = { earlyStop: true, completionCache: true, inflightReuse: true, adaptiveDebounce: true, stablePrompt: true, preview: true, windowAhead: true, typedMiddle: true, pastAutoClosed: true };

/**
 * A preview is handed out no sooner than this after the request (a pause the user has waited through),
 * and only while the model writes slower than PREVIEW_SLOW_PIECE_MS a piece: a fast model's whole
 * completion is a few milliseconds away, and one ghost text beats one that changes.
 */
export const PREVIEW_AFTER_MS = 300;
export const PREVIEW_SLOW_PIECE_MS = 8;

/** Where a previewed completion was shown; it is now whole in the cache. */
export interface PreviewPlace {
  path: string;
  offset: number;
  /** How the request that was shown the preview came: after typing, or asked for (Alt+\). */
  trigger: CompletionRequest['trigger'];
}

/** A previewed completion now whole in the cache, and how soon after its preview was handed out. */
export interface CompletedPreview extends PreviewPlace {
  msAfterPreview: number;
}

export class CompletionService {
  private readonly cache: CompletionCache;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly generationListeners = new Set<(request: GenerateRequest) => void>();
  private readonly wholeListeners = new Set<(completed: CompletedPreview) => void>();
  /** The last place each running generation's preview was shown. */
  private readonly previewPlaces = new Map<Generation, PreviewPlace & { givenAt: number }>();
  private readonly switches: PipelineSwitches;
  private readonly debounce = new AdaptiveDebounce();
  private current: Generation | undefined;
  /** The prefix of the last prompt built, and for which document and settings. */
  private lastPrefix: { path: string; contextKey: string; prefix: string } | undefined;
  /** The room the last prompt built (or moved ahead) left its prefix, and for which place. */
  private lastRoom: { path: string; contextKey: string; offset: number; room: number } | undefined;
  private readonly stats: Omit<CompletionCounters, 'inFlight' | 'windowsMovedAhead'> = { generationsStarted: 0, cacheHits: 0, typedAheadHits: 0, inflightReuses: 0, superseded: 0, skipped: 0 };
  /** Generations the engine has not answered yet; a cancelled one stops counting as in flight at once. */
  private readonly running = new Set<Generation>();
  private readonly ahead: WindowAhead;
  /** The last prompt built afresh, which typing right after its place may extend (typedMiddle.ts). */
  private middleAnchor: { place: MiddleAnchor; snippets: number } | undefined;

  constructor(private readonly options: CompletionServiceOptions) {
    this.cache = new CompletionCache(options.cacheSize);
    this.log = options.log ?? silentLogger;
    this.now = options.now ?? (() => Date.now());
    this.sleep = options.sleep ?? abortableSleep;
    this.switches = { ...ALL_SWITCHES_ON, ...options.switches };
    this.ahead = new WindowAhead(this.log);
  }

  get counters(): CompletionCounters {
    return { ...this.stats, inFlight: [...this.running].filter((g) => g.active).length, windowsMovedAhead: this.ahead.moves };
  }

  /** A completion for the cursor, or undefined (skipped, cancelled, nothing useful, or an error, which is logged). Never throws. */
  async provide(request: CompletionRequest, signal: AbortSignal): Promise<CompletionResult | undefined> {
    try {
      return await this.run(request, signal, this.now());
    } catch (err) {
      this.log.warn(`completion: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return undefined;
    }
  }

  /** Tells the listener about every request sent to the model (tests check the sampling it carries). */
  onDidStartGeneration(listener: (request: GenerateRequest) => void): { dispose(): void } {
    this.generationListeners.add(listener);
    return { dispose: () => this.generationListeners.delete(listener) };
  }

  /** Tells the listener when a completion shown as a preview is whole in the cache (the editor may ask again). */
  onDidCompletePreview(listener: (completed: CompletedPreview) => void): { dispose(): void } {
    this.wholeListeners.add(listener);
    return { dispose: () => this.wholeListeners.delete(listener) };
  }

  /** How long an automatic request waits now before asking the model. */
  debounceMsFor(settingMs: number): number {
    return this.switches.adaptiveDebounce ? this.debounce.delayMs(settingMs) : settingMs;
  }

  clearCache(): void {
    this.cache.clear();
  }

  dispose(): void {
    this.ahead.stop();
    this.current?.cancel('disposed');
    this.cache.clear();
  }

  private async run(request: CompletionRequest, signal: AbortSignal, started: number): Promise<CompletionResult | undefined> {
    const { settings, document, offset } = request;
    if (signal.aborted) return undefined;
    const model = this.options.model();
    if (!model) return this.skip('no model loaded');
    if (request.trigger !== 'explicit' && !completionEnabledFor(settings, request.languageId)) return this.skip(`off for ${request.languageId}`);
    if (!Number.isInteger(offset) || offset < 0 || offset > document.length) return this.skip('no such place');
    const filtered = prefilterDocument(document, offset);
    if (filtered) return this.skip(filtered);
    const { info } = model;
    const detection = detectTemplate(info, settings.promptTemplate);
    const context = readCursorContext(document, offset, windowCharsFor(settings.contextTokens));
    const place: FitPlace = {
      before: context.before,
      after: context.after,
      languageId: request.languageId,
      trigger: request.trigger,
      indentation: request.indentation,
      options: { multiline: settings.multiline, maxLines: settings.maxLines, stops: detection.template.stop },
    };
    const fit = startFit(place);
    if (!fit) return this.skip('no completion fits here');
    const contextKey = JSON.stringify([info.model, info.dtype, detection.template.id, settings.sampling, settings.multiline, settings.maxLines, settings.contextTokens, request.indentation]);
    const position: Position = { contextKey, path: request.path, offset, before: context.before, after: context.after, eolLength: request.eol === '\r\n' ? 2 : 1 };
    const contextMs = this.now() - started;
    const done = (edit: FitEdit | undefined, source: CompletionSource, extra: Partial<CompletionResult['stats']> = {}) =>
      this.result(request, edit, source, detection, started, { contextMs, ...extra });

    const cached = this.switches.completionCache ? this.cache.findTypedAhead(position, this.switches.pastAutoClosed) : undefined;
    if (cached) {
      if (cached.typed) this.stats.typedAheadHits++;
      else this.stats.cacheHits++;
      // The model is idle while the user types along a finished completion: a window about to move moves now.
      const last = this.lastRoom?.path === request.path && this.lastRoom.contextKey === contextKey ? this.lastRoom : undefined;
      if (this.canMoveAhead(request, info) && this.running.size === 0 && !this.ahead.busy && mayNeedMove(last, offset)) {
        const { options, built } = this.promptFor(request, context, detection, info, contextKey);
        this.lastRoom = { path: request.path, contextKey, offset, room: built.prefixRoom };
        this.keepMoved(this.ahead.moveNow(this.aheadCandidate(model, options, built, request, contextKey)));
      }
      return done(cached.remainder, cached.typed ? 'typedAhead' : 'cache');
    }
    const running = this.current;
    if (running?.active) {
      if (this.switches.inflightReuse && typedSince(running.anchor, position, running.streamed, running.replaceable, this.switches.pastAutoClosed) !== undefined) {
        this.stats.inflightReuses++;
        const outcome = await running.wait(signal, this.previewTerms(running, position, started));
        this.notePreview(running, outcome, request);
        const typed = outcome?.edit && typedSince(running.anchor, position, outcome.edit.insertText, outcome.edit.replaceLength, this.switches.pastAutoClosed);
        return done(outcome?.edit && typed ? untypedRest(outcome.edit, typed) : undefined, 'inflight', tokenStats(outcome));
      }
      this.supersede(running);
    }
    const debounceMs = request.trigger === 'automatic' ? this.debounceMsFor(settings.debounceMs) : 0;
    if (debounceMs > 0) {
      await this.sleep(debounceMs, signal);
      // Typing withdraws most requests here; one withdrawn with nothing after it explains a pause with no ghost text.
      if (signal.aborted) return this.withdrawn(started);
    }

    const promptStarted = this.now();
    const prompt = this.nextPrompt(request, context, detection, info, contextKey);
    this.ahead.forget();
    const timings = { debounceMs, promptMs: this.now() - promptStarted };
    const key = cacheKey(contextKey, request.trigger, prompt.text);
    const hit = this.switches.completionCache ? this.cache.get(key) : undefined;
    if (hit) {
      this.stats.cacheHits++;
      return done(hit.edit, 'cache', { promptTokens: prompt.tokens, snippets: prompt.snippets, ...timings });
    }
    // A generation may have started while this request was debouncing; the newest request wins.
    if (this.current?.active) this.supersede(this.current);
    this.ahead.stop();
    const generation = this.start(model, prompt.text, fit, request, position, key);
    if (prompt.built && this.canMoveAhead(request, info)) this.ahead.started(generation, this.aheadCandidate(model, prompt.built.options, prompt.built.built, request, contextKey));
    const outcome = await generation.wait(signal, this.previewTerms(generation, position, started));
    this.notePreview(generation, outcome, request);
    if (signal.aborted) return undefined;
    return done(outcome?.edit, 'generated', { promptTokens: outcome?.result?.promptTokens ?? prompt.tokens, snippets: prompt.snippets, ...timings, ...tokenStats(outcome) });
  }

  /**
   * The prompt for a generation: the last one with the text typed since appended to its middle when
   * that is all that changed (typedMiddle.ts), else one built afresh, which later typing may extend.
   */
  private nextPrompt(request: CompletionRequest, context: CursorContext, detection: TemplateDetection, info: LoadedModel['info'], contextKey: string):
    { text: string; tokens: number; snippets: number; built?: { options: PromptOptions; built: BuiltPrompt } } {
    const anchor = this.middleAnchor;
    if (this.switches.typedMiddle && request.trigger === 'automatic' && anchor) {
      const budget = promptBudget(request.settings.contextTokens, info, request.settings.sampling.maxNewTokens);
      const text = typedMiddlePrompt(anchor.place, { path: request.path, contextKey, offset: request.offset, context, budget }, this.switches.pastAutoClosed,
        (reason) => this.log.debug(`completion: prompt built afresh (${reason})`));
      if (text !== undefined) return { text, tokens: anchor.place.tokens + (request.offset - anchor.place.offset), snippets: anchor.snippets };
    }
    const previous = this.lastPrefix;
    const { options, built } = this.promptFor(request, context, detection, info, contextKey);
    if (options.previousPrefix !== undefined && previous && !built.prefix.startsWith(previous.prefix.slice(0, 80))) {
      this.log.debug(`completion: the prompt's window starts afresh at this keystroke (${built.tokens} prompt tokens)`);
    }
    this.lastPrefix = { path: request.path, contextKey, prefix: built.prefix };
    this.lastRoom = { path: request.path, contextKey, offset: request.offset, room: built.prefixRoom };
    this.middleAnchor = middleComesLast(detection.template, built)
      ? { place: { path: request.path, contextKey, offset: request.offset, before: context.before, after: context.after, prompt: built.prompt, tokens: built.tokens }, snippets: built.snippetCount }
      : undefined;
    return { text: built.prompt, tokens: built.tokens, snippets: built.snippetCount, built: { options, built } };
  }

  /** The prompt for this place, its start kept from the last prompt built here while it fits. */
  private promptFor(request: CompletionRequest, context: CursorContext, detection: TemplateDetection, info: LoadedModel['info'], contextKey: string): { options: PromptOptions; built: BuiltPrompt } {
    const { settings } = request;
    const snippets = settings.useOpenEditors && request.openDocuments?.length
      ? selectSnippets(aroundCursor(context), request.openDocuments, request.path) : [];
    // The prompt and the completion must fit in what the model can read.
    const contextTokens = promptBudget(settings.contextTokens, info, settings.sampling.maxNewTokens);
    const last = this.lastPrefix;
    const previousPrefix = this.switches.stablePrompt && last?.path === request.path && last.contextKey === contextKey ? last.prefix : undefined;
    const options: PromptOptions = { context, template: detection.template, languageId: request.languageId, path: request.path, contextTokens, snippets, counter: this.options.tokenCounter, stable: this.switches.stablePrompt, previousPrefix };
    return { options, built: buildPrompt(options) };
  }

  /** Only while typing, and only a local model: its process keeps the prompt's cache (a server's may not). */
  private canMoveAhead(request: CompletionRequest, info: LoadedModel['info']): boolean {
    return this.switches.windowAhead && this.switches.stablePrompt && request.trigger === 'automatic' && info.dtype !== 'server';
  }

  private aheadCandidate(model: LoadedModel, options: PromptOptions, built: BuiltPrompt, request: CompletionRequest, contextKey: string): AheadCandidate {
    return { model, built, moved: () => buildPrompt({ ...options, previousPrefix: undefined }), sampling: request.settings.sampling, path: request.path, contextKey, offset: request.offset };
  }

  /** The next prompt at a window moved ahead starts where it starts. */
  private keepMoved(moved: MovedPrefix | undefined): void {
    if (!moved) return;
    // The model process now keeps the moved prompt: extending the old one would compute it all again.
    this.middleAnchor = undefined;
    const { path, contextKey, prefix, offset, room } = moved;
    this.lastPrefix = { path, contextKey, prefix };
    this.lastRoom = { path, contextKey, offset, room };
  }

  private start(model: LoadedModel, prompt: string, fit: FitStream, request: CompletionRequest, position: Position, key: string): Generation {
    const anchor = anchorAt(position);
    // No line break among the stops: where the completion ends is the fit stages' call, and they stop the model.
    const generateRequest: GenerateRequest = { prompt, sampling: request.settings.sampling, stop: [...fit.context.stops] };
    for (const listener of this.generationListeners) listener(generateRequest);
    const generation = new Generation({
      model,
      request: generateRequest,
      fit,
      anchor,
      log: this.log,
      now: this.now,
      earlyStop: this.switches.earlyStop,
      onOrphaned: (g) => this.onOrphaned(g),
      onEnd: (g, record) => {
        this.running.delete(g);
        if (this.current === g) this.current = undefined;
        this.keepMoved(this.ahead.ended(g, record.cancelled === undefined && record.result !== undefined, this.running.size === 0));
        this.learn(record);
        const account = describeGeneration(record);
        if (account) this.log.debug(account);
        this.options.onGenerationEnd?.(record);
      },
    });
    this.stats.generationsStarted++;
    this.running.add(generation);
    this.current = generation;
    generation.done.then((outcome) => {
      const place = this.previewPlaces.get(generation);
      this.previewPlaces.delete(generation);
      if (!outcome?.cacheable || !this.switches.completionCache) return;
      this.cache.set({ ...anchor, key, edit: outcome.edit ?? { insertText: '', replaceLength: 0 } });
      if (!place || outcome.edit?.insertText === generation.previewGiven?.insertText) return;
      const { givenAt, ...where } = place;
      for (const listener of this.wholeListeners) listener({ ...where, msAfterPreview: this.now() - givenAt });
    }, () => undefined);
    return generation;
  }

  /**
   * When a request waiting on `generation` at `position` takes a preview: after its pause, while the
   * model is slow; at once when the generation was previewed before (the user took that one).
   */
  private previewTerms(generation: Generation, position: Position, started: number): PreviewTerms | undefined {
    if (!this.switches.preview) return undefined;
    return {
      at: generation.previewGiven ? started : started + PREVIEW_AFTER_MS,
      usable: (edit) => {
        if (generation.msPerPiece < PREVIEW_SLOW_PIECE_MS) return false;
        const typed = typedSince(generation.anchor, position, edit.insertText, edit.replaceLength, this.switches.pastAutoClosed);
        return typed !== undefined && typed.typed.length < edit.insertText.length;
      },
    };
  }

  private notePreview(generation: Generation, outcome: GenerationOutcome | undefined, request: CompletionRequest): void {
    if (outcome?.preview) this.previewPlaces.set(generation, { path: request.path, offset: request.offset, trigger: request.trigger, givenAt: this.now() });
  }

  /** A generation nobody waits for gets a short grace for the next keystroke to claim it, then stops. */
  private onOrphaned(generation: Generation): void {
    const timer = setTimeout(() => {
      if (generation.active && generation.waiting === 0) generation.cancel('orphaned');
    }, this.options.orphanGraceMs ?? 500);
    timer.unref?.();
  }

  private supersede(generation: Generation): void {
    if (generation.cancel('superseded')) this.stats.superseded++;
  }

  /** A prompt step that ran (not one cancelled in the queue) tells how long the next one will take. */
  private learn(record: GenerationRecord): void {
    const result = record.result;
    if (result && result.promptTokens > 0 && (result.generatedTokens > 0 || result.finishReason === 'eos')) this.debounce.observe(result.timeToFirstTokenMs);
  }

  /** Answered with nothing before any model work; said at debug level, so a missing ghost text can be traced. */
  private skip(reason: string): undefined {
    this.stats.skipped++;
    this.log.debug(`completion: not asked of the model (${reason})`);
    return undefined;
  }

  /** A request the editor withdrew while it waited out the debounce (the user typed on, or the editor stopped asking). */
  private withdrawn(started: number): undefined {
    this.log.debug(`completion: withdrawn by the editor during the debounce, after ${Math.round(this.now() - started)} ms`);
    return undefined;
  }

  private result(request: CompletionRequest, edit: FitEdit | undefined, source: CompletionSource,
    detection: TemplateDetection, started: number, extra: Partial<CompletionResult['stats']>): CompletionResult | undefined {
    if (!edit?.insertText) {
      this.log.debug(`completion: nothing to show (${source}, ${Math.round(this.now() - started)} ms)`);
      return undefined;
    }
    const stats: CompletionStats = {
      source, mode: edit.insertText.includes('\n') ? 'multi' : 'single', template: detection.template.id, promptTokens: 0, generatedTokens: 0, snippets: 0,
      shownTokens: (this.options.tokenCounter ?? estimateTokens).count(edit.insertText), ...extra, latencyMs: this.now() - started,
    };
    this.log.debug(describeCompletion(stats));
    return {
      text: withLineEnds(edit.insertText, request.eol),
      offset: request.offset,
      replaceLength: edit.replaceLength,
      fromCache: source === 'cache' || source === 'typedAhead',
      stats,
    };
  }
}

/** One log line per completion shown: where its time went (debug level). */
export function describeCompletion(stats: CompletionStats): string {
  const ms = (n: number | undefined) => (n === undefined ? '?' : Math.round(n));
  if (stats.source === 'cache' || stats.source === 'typedAhead') return `completion (${stats.source}, ${stats.mode}): ${ms(stats.latencyMs)} ms`;
  return `completion (${stats.source}, ${stats.mode}${stats.preview ? ', preview' : ''}): ${ms(stats.latencyMs)} ms = window ${ms(stats.contextMs)} + wait ${ms(stats.debounceMs)} + prompt ${ms(stats.promptMs)} ` +
    `+ model (first token ${ms(stats.timeToFirstTokenMs)}); ${stats.promptTokens} prompt tokens, ${stats.generatedTokens} generated`;
}

/**
 * Where a generation's time went (debug level): the host's wait for its first piece against the
 * model process's own, how long the process took to begin it (the work before it), and how much of the prompt
 * was computed; for one stopped before its first piece, how long it ran and what it computed.
 */
export function describeGeneration(record: GenerationRecord): string | undefined {
  const result = record.result;
  if (!result) return undefined;
  const computed = `${result.promptTokens - result.reusedPromptTokens} of ${result.promptTokens} prompt tokens computed`;
  const end = record.cancelled ? `cancelled (${record.cancelled})` : result.finishReason;
  const begun = result.queuedMs ? `, begun ${Math.round(result.queuedMs)} after it was sent` : '';
  if (record.firstPieceAt === undefined) {
    if (result.promptTokens === 0) return undefined;
    return `generation: ${end} before its first piece, ${Math.round(record.endedAt - record.startedAt)} ms after it started (${Math.round(result.totalMs)} in the model process${begun}); ${computed}`;
  }
  return `generation: first piece after ${Math.round(record.firstPieceAt - record.startedAt)} ms (${Math.round(result.timeToFirstTokenMs)} in the model process${begun}); ${computed}; ${end}`;
}

function tokenStats(outcome: GenerationOutcome | undefined): Partial<CompletionResult['stats']> {
  if (!outcome) return {};
  if (outcome.preview) return { generatedTokens: outcome.pieces, timeToFirstTokenMs: outcome.firstPieceMs, preview: true };
  const r = outcome.result;
  // Decided before the engine answered: what the pipeline itself saw.
  return r
    ? { generatedTokens: r.generatedTokens, timeToFirstTokenMs: r.timeToFirstTokenMs, generationMs: r.totalMs, reusedPromptTokens: r.reusedPromptTokens }
    : { generatedTokens: outcome.pieces, timeToFirstTokenMs: outcome.firstPieceMs };
}

/** The code near the cursor that snippets are matched against. */
function aroundCursor(context: CursorContext): string {
  return context.before.slice(-2000) + context.after.slice(0, 600);
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    signal.addEventListener('abort', finish, { once: true });
  });
}
