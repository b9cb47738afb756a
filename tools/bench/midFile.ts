// Keystrokes mid-file, one prompt layout against another, at the typing benchmark's cursor, one
// character per request (prompts built by the extension's builder). Without a model: over the whole
// typed function, how much of each prompt differs from the one before (what the kept KV cache cannot
// serve). With the model: for the first keystrokes, the first token with the previous keystroke's
// cache kept; every `coldEvery` keystrokes the same prompt also runs after a flush (cold), which
// leaves the cache as the kept run did.
import { readCursorContext, windowCharsFor } from '../../src/completion/cursorContext';
import { buildPrompt, PREFIX_SLACK, type BuiltPrompt } from '../../src/completion/promptBuilder';
import { TEMPLATES, type PromptTemplate } from '../../src/completion/templates';
import type { TokenCounter } from '../../src/completion/tokenCounter';
import type { GenerateRequest, LoadedModel } from '../../src/model/protocol';
import { cacheFlushPrompt } from './benchPrompt';
import { typedFunction, typingDocument } from './typingDocument';
import { TypingEditor } from './typingEditor';
import { keysFor } from './typingTrace';

export interface Layout {
  name: string;
  suffixShare: number;
  /** Keep the prefix's first line while it fits (the extension does since this change). */
  keptStart: boolean;
  /** Suffix first. Qwen2.5-Coder was not trained so: measured for the cost of the order alone. */
  suffixFirst: boolean;
  /** Share of the prefix's budget left free at a new start (the extension's PREFIX_SLACK when absent). */
  prefixSlack?: number;
}

export const LAYOUTS: readonly Layout[] = [
  { name: "PSM, suffix 0.3, moving start (before)", suffixShare: 0.3, keptStart: false, suffixFirst: false },
  { name: 'PSM, suffix 0.3, kept start', suffixShare: 0.3, keptStart: true, suffixFirst: false },
  { name: 'PSM, suffix 0.2, kept start', suffixShare: 0.2, keptStart: true, suffixFirst: false },
  { name: 'PSM, suffix 0.15, kept start', suffixShare: 0.15, keptStart: true, suffixFirst: false },
  { name: 'SPM, suffix 0.3, kept start', suffixShare: 0.3, keptStart: true, suffixFirst: true },
];

/** The extension's layout with other prefix slacks: how often the window moves against how much context stays. */
export const SLACKS: readonly number[] = [PREFIX_SLACK, 0.25, 0.35];
export const slackLayout = (prefixSlack: number): Layout => ({ name: `PSM, suffix 0.15, kept start, slack ${prefixSlack}`, suffixShare: 0.15, keptStart: true, suffixFirst: false, prefixSlack });

/** Qwen's sentinels in suffix-first order: the bench tokenizer's markers, for the cost of the order. */
const qwenSuffixFirst: PromptTemplate = { ...TEMPLATES.qwen, suffixFirstPattern: '<|fim_suffix|>{suffix}<|fim_prefix|>{prefix}<|fim_middle|>' };

export interface KeystrokeCost {
  promptTokens: number;
  reused: number;
  keptTtftMs: number;
  /** Only every `coldEvery` keystrokes. */
  coldTtftMs?: number;
}

/** One prompt before typing, then one per keystroke of `text` at the typing document's cursor, built with `layout`. */
export function layoutPrompts(layout: Layout, counter: TokenCounter, contextTokens: number, text: string = typedFunction): string[] {
  const editor = new TypingEditor(typingDocument.before, typingDocument.after);
  const prompts: string[] = [];
  let previous: BuiltPrompt | undefined;
  const build = () => {
    const context = readCursorContext(editor.text, editor.offset, windowCharsFor(contextTokens));
    previous = buildPrompt({
      context, template: layout.suffixFirst ? qwenSuffixFirst : TEMPLATES.qwen, languageId: typingDocument.languageId, path: typingDocument.path,
      contextTokens, counter, suffixShare: layout.suffixShare, stable: layout.keptStart, previousPrefix: previous?.prefix, suffixFirst: layout.suffixFirst, prefixSlack: layout.prefixSlack,
    });
    prompts.push(previous.prompt);
  };
  build();
  for (const key of keysFor(text)) {
    editor.press(key);
    build();
  }
  return prompts;
}

export interface PromptChurn {
  /** Characters of each prompt after the part it shares with the one before (the kept cache serves the rest). */
  changedChars: number[];
  /** Keystrokes whose prompt changed in its first half: most of it is computed again. */
  restarts: number;
}

export function promptChurn(prompts: readonly string[]): PromptChurn {
  const changedChars: number[] = [];
  let restarts = 0;
  for (let i = 1; i < prompts.length; i++) {
    const [a, b] = [prompts[i - 1], prompts[i]];
    let shared = 0;
    while (shared < a.length && shared < b.length && a[shared] === b[shared]) shared++;
    changedChars.push(b.length - shared);
    if (shared < b.length / 2) restarts++;
  }
  return { changedChars, restarts };
}

const firstToken = (prompt: string): GenerateRequest => ({ prompt, sampling: { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, maxNewTokens: 1 }, stop: [] });

/**
 * Runs each layout's prompts on its own model process, keystroke by keystroke, the layouts' order
 * rotating at every keystroke, so a neighbour's burst of work lands on all of them alike. The first
 * prompt of each only fills its cache.
 */
export async function measureLayouts(models: readonly Pick<LoadedModel, 'generate'>[], prompts: readonly (readonly string[])[], keystrokes: number, coldEvery: number): Promise<KeystrokeCost[][]> {
  const costs: KeystrokeCost[][] = models.map(() => []);
  for (const [i, model] of models.entries()) {
    await model.generate(firstToken(cacheFlushPrompt));
    await model.generate(firstToken(prompts[i][0]));
  }
  for (let k = 1; k <= keystrokes; k++) {
    for (let j = 0; j < models.length; j++) {
      const i = (j + k) % models.length;
      const prompt = prompts[i][k];
      if (prompt === undefined) continue;
      const kept = await models[i].generate(firstToken(prompt));
      const cost: KeystrokeCost = { promptTokens: kept.promptTokens, reused: kept.reusedPromptTokens, keptTtftMs: kept.timeToFirstTokenMs };
      if ((k - 1) % coldEvery === 0) {
        await models[i].generate(firstToken(cacheFlushPrompt));
        cost.coldTtftMs = (await models[i].generate(firstToken(prompt))).timeToFirstTokenMs;
      }
      costs[i].push(cost);
    }
  }
  return costs;
}
