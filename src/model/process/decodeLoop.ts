// Our own decoding loop over the model's forward pass: one prompt step, then one token per step
// fed back with the returned key/values. Owning the loop gives per-token streaming, stop strings,
// cancellation between steps and a key/value cache that outlives the request.
import { Tensor } from '@huggingface/transformers';
import type { GenerateRequest, GenerateResult, FinishReason } from '../protocol';
import { disposePast, type KvCache, type PastKeyValues } from './kvCache';
import { PayloadError } from './modelErrors';
import { sampleToken, seededRandom } from './sampling';
import { TextStream } from './textStream';

/** The slice of a transformers.js causal LM and tokenizer the loop uses. */
export interface DecodingModel {
  forward(inputs: Record<string, unknown>): Promise<Record<string, Tensor>>;
}

export interface DecodingTokenizer {
  encode(text: string): number[];
  decode(ids: number[]): string;
}

export interface DecodeContext {
  model: DecodingModel;
  tokenizer: DecodingTokenizer;
  eosIds: ReadonlySet<number>;
  cache: KvCache;
  /** When the request reached the model process (performance.now()). */
  receivedAt: number;
  isCancelled(): boolean;
  onText(text: string): void;
  /** The most tokens the model reads (max_position_embeddings): prompt and new tokens must fit. */
  contextLength?: number;
}

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
  const context = [...promptIds];
  const generated: number[] = [];
  const taken = ctx.cache.take(promptIds);
  const reused = taken.reused;
  let past = taken.past;
  let pending = promptIds.slice(reused);
  let fed = promptIds.slice(0, reused);
  let firstTokenAt: number | undefined;
  let finish: FinishReason = 'length';

  const emit = (text: string): void => {
    if (text) ctx.onText(text);
  };
  try {
    while (generated.length < maxNewTokens) {
      if (ctx.isCancelled()) {
        finish = 'cancelled';
        break;
      }
      const step = await forwardStep(ctx.model, pending, fed.length, past);
      disposePast(past);
      past = step.past;
      fed = fed.concat(pending);
      firstTokenAt ??= performance.now();

      const next = sampleToken(step.logits, sampling, context, random);
      if (ctx.eosIds.has(next)) {
        finish = 'eos';
        break;
      }
      generated.push(next);
      context.push(next);
      const piece = stream.push(next);
      emit(piece.text);
      if (piece.stopped) {
        finish = 'stop';
        break;
      }
      pending = [next];
      // Lets a `cancel` message in before the next step.
      await yieldToEventLoop();
    }
    emit(stream.flush());
  } catch (error) {
    disposePast(past);
    ctx.cache.clear();
    throw error;
  }
  if (past) ctx.cache.keep(fed, past);

  const now = performance.now();
  return {
    text: stream.text,
    finishReason: finish,
    promptTokens: promptIds.length,
    generatedTokens: generated.length,
    timeToFirstTokenMs: Math.round((firstTokenAt ?? now) - ctx.receivedAt),
    totalMs: Math.round(now - ctx.receivedAt),
    reusedPromptTokens: reused,
  };
}

interface StepResult {
  logits: Float32Array;
  past: PastKeyValues;
}

/** Runs `ids` after `pastLength` cached positions; returns the last position's logits and the new cache. */
async function forwardStep(model: DecodingModel, ids: number[], pastLength: number, past: PastKeyValues | undefined): Promise<StepResult> {
  const inputIds = new Tensor('int64', BigInt64Array.from(ids, (id) => BigInt(id)), [1, ids.length]);
  const attentionMask = new Tensor('int64', new BigInt64Array(pastLength + ids.length).fill(1n), [1, pastLength + ids.length]);
  // Models exported with `num_logits_to_keep` then skip the vocabulary projection for earlier positions.
  const keep = new Tensor('int64', [1n], []);
  const outputs = await model.forward({ input_ids: inputIds, attention_mask: attentionMask, past_key_values: past, num_logits_to_keep: keep });

  const nextPast: PastKeyValues = {};
  let logits: Float32Array | undefined;
  for (const [name, tensor] of Object.entries(outputs)) {
    if (name.startsWith('present')) {
      nextPast[name.replace('present', 'past_key_values')] = tensor;
    } else if (name === 'logits') {
      logits = lastPositionLogits(tensor);
      tensor.dispose();
    } else {
      tensor.dispose();
    }
  }
  inputIds.dispose();
  attentionMask.dispose();
  if (!logits) throw new Error('The model returned no logits.');
  return { logits, past: nextPast };
}

function lastPositionLogits(logits: Tensor): Float32Array {
  const [, seq, vocab] = logits.dims;
  const last = logits.type === 'float32' ? logits : logits.slice(null, [seq - 1, seq], null).to('float32');
  const data = last.data as Float32Array;
  const start = last === logits ? (seq - 1) * vocab : 0;
  const copy = data.slice(start, start + vocab);
  if (last !== logits) last.dispose();
  return copy;
}
