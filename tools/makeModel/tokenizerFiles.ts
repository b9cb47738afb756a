// A Qwen2-style tokenizer: byte-level BPE vocabulary (256 bytes, then learned merges, then optional
// filler), Qwen2.5's added tokens, then any extra added tokens a model kind wants. Produces the
// contents of tokenizer.json and tokenizer_config.json.
import { baseTokens, fromByteLevel, toByteLevel } from './byteLevel';
import { QWEN2_SPLIT_PATTERN, trainBpe } from './bpeTrainer';
import type { Merge } from './bpeTrainer';
import { TRAINING_CORPUS } from './corpus';
import { CHATML_TEMPLATE, ENDOFTEXT, QWEN_ADDED_TOKENS } from './specialTokens';
import type { AddedTokenSpec } from './specialTokens';

export interface AddedToken extends AddedTokenSpec {
  id: number;
}

export interface TokenizerPlan {
  /** BPE vocabulary (byte-level strings) in id order. */
  vocab: string[];
  merges: Merge[];
  /** Qwen's added tokens, then the extra ones, with their ids. */
  added: AddedToken[];
  /** Number of ids in use: vocab plus added tokens. */
  size: number;
}

export interface TokenizerOptions {
  merges: number;
  /** Pad the BPE vocabulary with unreachable filler tokens so added tokens start at this id. */
  firstAddedId?: number;
  /** Non-special added tokens appended after Qwen's (the successor model's chains and script keys). */
  extraAdded?: readonly string[];
  /**
   * Texts that get a vocabulary entry right after the learned ones, but no merge that builds them:
   * the model can write them, and no input text ever tokenizes to them (scripted pieces).
   */
  extraVocab?: readonly string[];
  /**
   * Merges in all, padded with merges of two filler tokens: no input ever reaches a filler, so these
   * never apply, and the merge table is as large as the real tokenizer's (its heap and load time).
   */
  totalMerges?: number;
}

// Filler tokens look like words (" qa", " qb", …) so random output from a big model reads as text.
function fillerTokens(taken: Set<string>, count: number): string[] {
  const out: string[] = [];
  for (let n = 0; out.length < count; n++) {
    let word = '';
    for (let v = n; ; v = Math.floor(v / 26) - 1) {
      word = String.fromCharCode(97 + (v % 26)) + word;
      if (v < 26) break;
    }
    const token = `Ġq${word}`;
    if (!taken.has(token)) out.push(token);
  }
  return out;
}

export function planTokenizer(options: TokenizerOptions): TokenizerPlan {
  const merges = trainBpe(TRAINING_CORPUS, options.merges);
  const vocab = baseTokens();
  const taken = new Set(vocab);
  for (const [a, b] of merges) {
    if (!taken.has(a + b)) {
      vocab.push(a + b);
      taken.add(a + b);
    }
  }
  for (const text of options.extraVocab ?? []) {
    const token = toByteLevel(text);
    if (text === '' || taken.has(token)) throw new Error(`extra vocabulary entry ${JSON.stringify(text)} is empty or already a token`);
    vocab.push(token);
    taken.add(token);
  }
  const first = options.firstAddedId ?? vocab.length;
  if (first < vocab.length) throw new Error(`firstAddedId ${first} is below the learned vocabulary (${vocab.length})`);
  const fillers = fillerTokens(taken, first - vocab.length);
  for (const filler of fillers) vocab.push(filler);
  const padding = Math.max(0, (options.totalMerges ?? 0) - merges.length);
  const n = fillers.length;
  if (padding > n * (n - 1)) throw new Error(`${padding} inert merges need more than ${n} filler tokens`);
  // Each filler with the one 1 further on (wrapping), then 2 further, …: distinct pairs.
  for (let i = 0; i < padding; i++) merges.push([fillers[i % n]!, fillers[(i + 1 + Math.floor(i / n)) % n]!]);
  const specs = [...QWEN_ADDED_TOKENS, ...(options.extraAdded ?? []).map((content) => ({ content, special: false }))];
  const contents = new Set(specs.map((spec) => spec.content));
  if (contents.size !== specs.length) throw new Error('two added tokens have the same content');
  for (const text of options.extraVocab ?? []) {
    if (contents.has(text)) throw new Error(`extra vocabulary entry ${JSON.stringify(text)} is also an added token`);
  }
  const added = specs.map((spec, i) => ({ ...spec, id: first + i }));
  return { vocab, merges, added, size: first + added.length };
}

/** The text a token id stands for: added tokens literally, vocabulary tokens decoded from bytes. */
export function tokenText(plan: TokenizerPlan, id: number): string {
  if (id < plan.vocab.length) return fromByteLevel(plan.vocab[id]) ?? '';
  return plan.added.find((t) => t.id === id)?.content ?? '';
}

// text → id for each plan, built on first use (the bench vocabulary has 151k entries).
const indexes = new WeakMap<TokenizerPlan, Map<string, number>>();

export function idOf(plan: TokenizerPlan, text: string): number {
  const added = plan.added.find((t) => t.content === text);
  if (added) return added.id;
  let index = indexes.get(plan);
  if (!index) {
    index = new Map();
    for (let id = plan.vocab.length - 1; id >= 0; id--) index.set(fromByteLevel(plan.vocab[id]) ?? '', id);
    indexes.set(plan, index);
  }
  const id = index.get(text);
  if (id === undefined) throw new Error(`no token for ${JSON.stringify(text)}`);
  return id;
}

const BYTE_LEVEL = { add_prefix_space: false, trim_offsets: false, use_regex: false };

export function tokenizerJson(plan: TokenizerPlan): object {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: plan.added.map((t) => ({
      id: t.id, content: t.content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: t.special,
    })),
    normalizer: { type: 'NFC' },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: QWEN2_SPLIT_PATTERN }, behavior: 'Isolated', invert: false },
        { type: 'ByteLevel', ...BYTE_LEVEL },
      ],
    },
    post_processor: { type: 'ByteLevel', ...BYTE_LEVEL },
    decoder: { type: 'ByteLevel', ...BYTE_LEVEL },
    model: {
      type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '',
      fuse_unk: false, byte_fallback: false, ignore_merges: false,
      vocab: Object.fromEntries(plan.vocab.map((token, id) => [token, id])),
      merges: plan.merges,
    },
  };
}

export function tokenizerConfigJson(plan: TokenizerPlan, modelMaxLength: number): object {
  const qwenSpecial = plan.added.filter((t) => t.special && t.content !== ENDOFTEXT).map((t) => t.content);
  return {
    add_bos_token: false,
    add_prefix_space: false,
    added_tokens_decoder: Object.fromEntries(plan.added.map((t) => [String(t.id), {
      content: t.content, lstrip: false, normalized: false, rstrip: false, single_word: false, special: t.special,
    }])),
    additional_special_tokens: qwenSpecial,
    bos_token: null,
    chat_template: CHATML_TEMPLATE,
    clean_up_tokenization_spaces: false,
    eos_token: ENDOFTEXT,
    errors: 'replace',
    model_max_length: modelMaxLength,
    pad_token: ENDOFTEXT,
    split_special_tokens: false,
    tokenizer_class: 'Qwen2Tokenizer',
    unk_token: null,
  };
}
