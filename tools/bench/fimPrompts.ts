// The prompts Inkling sends while the user types in the middle of a file: the project's own cursor
// window and prompt builder with the Qwen fill-in-the-middle template, one prompt per keystroke.
import { SETTINGS } from '../../src/settings/settingsTable';
import { readCursorContext, windowCharsFor } from '../../src/completion/cursorContext';
import { buildPrompt } from '../../src/completion/promptBuilder';
import { TEMPLATES } from '../../src/completion/templates';
import type { TokenCounter } from '../../src/completion/tokenCounter';
import type { FimDocument } from './fimDocument';

/** The extension's default token budget for the code around the cursor. */
export const defaultContextTokens = SETTINGS['completion.contextTokens'].default;

export interface FimPrompt {
  /** What has been typed at the cursor so far ('' for the prompt before the first keystroke). */
  typed: string;
  prompt: string;
  /** Characters the prompt shares with the previous one from its start (0 for the first). */
  sharedChars: number;
  /** The prompt's size as the counter saw it. */
  counted: number;
}

/**
 * The extension's token estimate (a fixed number of characters per token, rounded up per piece)
 * with the ratio measured on the model's own tokenizer, so the budget lands near the same number of
 * real tokens as Inkling's 3.5 characters per token does with Qwen's tokenizer.
 */
export function calibratedCounter(charsPerToken: number): TokenCounter {
  if (!(charsPerToken > 0)) throw new RangeError(`charsPerToken must be positive, not ${charsPerToken}`);
  return { count: (text) => Math.ceil(text.length / charsPerToken) };
}

/** The prompt before typing, then one after each character of `typed`, built as the extension builds them. */
export function typingPrompts(document: FimDocument, typed: string, contextTokens: number, counter: TokenCounter): FimPrompt[] {
  const prompts: FimPrompt[] = [];
  for (let k = 0; k <= typed.length; k++) {
    const sofar = typed.slice(0, k);
    const text = document.before + sofar + document.after;
    const context = readCursorContext(text, document.before.length + k, windowCharsFor(contextTokens));
    const built = buildPrompt({ context, template: TEMPLATES.qwen, languageId: document.languageId, path: document.path, contextTokens, counter });
    const previous = prompts[k - 1]?.prompt;
    const sharedChars = previous === undefined ? 0 : sharedPrefix(previous, built.prompt);
    prompts.push({ typed: sofar, prompt: built.prompt, sharedChars, counted: built.tokens });
  }
  return prompts;
}

function sharedPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
