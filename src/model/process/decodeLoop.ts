// Our own decoding loop over the model's forward pass: the prompt in chunks, then one step per
// token fed back with the returned key/values. Owning the loop gives per-step streaming, stop
// strings, cancellation between steps (prompt chunks included), drafted tokens checked in one
// pass, and a key/value cache that outlives the request.
import type { GenerateRequest, GenerateResult, FinishReason } from '../protocol';
import { forwardStep, type DecodingModel } from './forwardStep';
import { canTruncate, disposePast, truncatePast, type KvCache, type PastKeyValues } from './kvCache';
import { PayloadError } from './modelErrors';
import { defaultLookup, draftTokens, type LookupOptions } from './promptLookup';
import { drawFrom, probabilityOf, sampleToken, seededRandom, tokenDistribution, without, type Random } from './sampling';
import { TextStream } from './textStream';

export type { DecodingModel } from './forwardStep';

export interface DecodingTokenizer {
  encode(text: string): number[];
  decode(ids: number[]): string;
}

export interface DecodeContext {
  model: DecodingModel;
  tokenizer: DecodingTokenizer;
  eosIds: ReadonlySet<number>;
  cache: KvCache;
  /** When the model process began this request (performance.now()). */
  receivedAt: number;
  /** When the host sent it, on this process's clock (earlier work and a busy event loop hold it back). */
  sentAt?: number;
  isCancelled(): boolean;
  /** New text, once per forward step (several tokens when drafted ones were accepted). */
  onText(text: string): void;
  /** The most tokens the model reads (max_position_embeddings): prompt and new tokens must fit. */
  contextLength?: number;
  /** Prompt tokens per forward step; a cancel is seen between them. */
  prefillChunk?: number;
  /** Prompt-lookup drafting, where the request allows it. */
  lookup?: LookupOptions;
  /** Runs after each forward pass, once the pass before's key/values are let go (stepGarbage.ts). */
  afterPass?: () => void;
}

/**
 * Prompt tokens per step. A 512-token prompt in chunks of this size took as long as in one step on
 * the bench model (bench/README.md), and a superseded prompt is abandoned within one chunk.
 */
export const defaultPrefillChunk = 128;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** New tokens that still fit after the prompt; a prompt that fills the context is refused, in words. */
function roomFor(promptTokens: number, contextLength: number | undefined): number {
  if (contextLength === undefined) return Number.POSITIVE_INFINITY;
  if (promptTokens >= contextLength) {
    throw new PayloadError({
      code: 'invalid-request',
      message: `The prompt has ${promptTokens} tokens, but the model reads at most ${contextLength} (max_position_embeddings in its config.json), so nothing was generated. Ask for less context: lower inkling.completion.contextTokens or inkling.explain.maxInputTokens.`,
    });
  }
  return contextLength - promptTokens;
}

export async function runGeneration(ctx: DecodeContext, request: GenerateRequest): Promise<GenerateResult> {
  const { sampling } = request;
  const promptIds = ctx.tokenizer.encode(request.prompt);
  if (promptIds.length === 0) throw new PayloadError({ code: 'invalid-request', message: 'The prompt is empty: there is nothing to continue.' });
  const maxNewTokens = Math.min(sampling.maxNewTokens, roomFor(promptIds.length, ctx.contextLength));

  const random = seededRandom(sampling.seed ?? Math.floor(Math.random() * 2 ** 32));
  const stream = new TextStream((ids) => ctx.tokenizer.decode(ids), request.stop.filter((s) => s.length > 0));
  const chunk = Math.max(1, ctx.prefillChunk ?? defaultPrefillChunk);
  const lookup = request.promptLookup === false ? undefined : ctx.lookup ?? defaultLookup;
  const context = [...promptIds];
  const generated: number[] = [];
  const taken = ctx.cache.take(promptIds);
  const reused = taken.reused;
  let past = taken.past;
  /** The ids whose keys and values `past` holds. */
  const fed = promptIds.slice(0, reused);
  let pending = promptIds.slice(reused);
  let firstTokenAt: number | undefined;
  let finish: FinishReason | undefined;
  const counts = { steps: 0, drafted: 0, accepted: 0 };

  const replacePast = (next: PastKeyValues): void => {
    if (next !== past) disposePast(past);
    past = next;
  };
  try {
    // The prompt but its last chunk, which runs with the first decoding step.
    while (pending.length > chunk) {
      if (ctx.isCancelled()) {
        finish = 'cancelled';
        break;
      }
      const part = pending.slice(0, chunk);
      replacePast((await forwardStep(ctx.model, part, fed.length, past)).past);
      ctx.afterPass?.();
      fed.push(...part);
      pending = pending.slice(chunk);
      counts.steps++;
      await yieldToEventLoop();
    }
    while (finish === undefined && generated.length < maxNewTokens) {
      if (ctx.isCancelled()) {
        finish = 'cancelled';
        break;
      }
      // The last token drafted must still leave room for the one the model adds itself.
      const room = maxNewTokens - generated.length - 1;
      const drafts = lookup && room > 0 && (!past || canTruncate(past)) ? draftTokens(context, room, lookup) : [];
      const step = await forwardStep(ctx.model, pending.concat(drafts), fed.length, past, drafts.length + 1);
      replacePast(step.past);
      counts.steps++;
      firstTokenAt ??= performance.now();

      const { tokens, accepted } = chooseTokens(step.logits, drafts, sampling, context, random);
      counts.drafted += drafts.length;
      counts.accepted += accepted;
      fed.push(...pending, ...drafts.slice(0, accepted));
      // The rejected drafts' keys and values go; what the model wrote instead is fed next step.
      if (accepted < drafts.length && past) replacePast(truncatePast(past, fed.length));
      ctx.afterPass?.();

      let text = '';
      for (const next of tokens) {
        if (ctx.eosIds.has(next)) {
          finish = 'eos';
          break;
        }
        generated.push(next);
        context.push(next);
        const piece = stream.push(next);
        text += piece.text;
        if (piece.stopped) {
          finish = 'stop';
          break;
        }
        if (generated.length >= maxNewTokens) break;
      }
      if (text) ctx.onText(text);
      pending = [tokens[tokens.length - 1]];
      // Lets a `cancel` message in before the next step.
      await yieldToEventLoop();
    }
    const rest = stream.flush();
    if (rest) ctx.onText(rest);
  } catch (error) {
    disposePast(past);
    ctx.cache.clear();
    throw error;
  }
  // Whatever ran is kept, an abandoned prompt's chunks included: the next keystroke shares them.
  if (past) ctx.cache.keep(fed, past);

  const now = performance.now();
  return {
    text: stream.text,
    finishReason: finish ?? 'length',
    promptTokens: promptIds.length,
    generatedTokens: generated.length,
    timeToFirstTokenMs: Math.round((firstTokenAt ?? now) - ctx.receivedAt),
    totalMs: Math.round(now - ctx.receivedAt),
    reusedPromptTokens: reused,
    ...(ctx.sentAt !== undefined ? { queuedMs: Math.round(ctx.receivedAt - ctx.sentAt) } : {}),
    forwardSteps: counts.steps,
    draftedTokens: counts.drafted,
    acceptedDraftTokens: counts.accepted,
  };
}

/**
 * The tokens one verifying step yields: each drafted token the model agrees with, then the model's
 * own next token. Greedy decoding keeps a draft exactly when it is the argmax, so the text is the
 * same as without drafts. Sampling uses the speculative-sampling rule for a draft that is certain
 * (q = 1): keep it with probability p(draft), else draw from p without it, which leaves the
 * distribution of the text unchanged (the random stream, and so a seeded text, differs).
 */
export function chooseTokens(rows: readonly Float32Array[], drafts: readonly number[], sampling: GenerateRequest['sampling'], context: number[], random: Random): { tokens: number[]; accepted: number } {
  const tokens: number[] = [];
  const base = context.length;
  try {
    for (let i = 0; i <= drafts.length; i++) {
      const draft = i < drafts.length ? drafts[i] : undefined;
      let next: number;
      if (!(sampling.temperature > 0) || draft === undefined) {
        next = sampleToken(rows[i], sampling, context, random);
      } else {
        const choice = tokenDistribution(rows[i], sampling, context);
        const rest = random() < probabilityOf(choice, draft) ? undefined : without(choice, draft);
        next = rest ? drawFrom(rest, random) : draft;
      }
      tokens.push(next);
      if (next !== draft) return { tokens, accepted: i };
      // An accepted draft is context for the next position (the repetition penalty sees it).
      context.push(next);
    }
    return { tokens, accepted: drafts.length };
  } finally {
    context.length = base;
  }
}
