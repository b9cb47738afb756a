// What the `successor` test model says, exactly. Its next token depends only on the last token
// (rules in tools/makeModel/README.md); tests import these strings to assert exact output.

/** A prompt whose last token ends in one of these letters continues with the rest of the alphabet. */
export const SUCCESSOR_ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
/** The same for digits (the tokenizer keeps every digit a token of its own). */
export const SUCCESSOR_DIGITS = '0123456789';

/** The FIM prefix the completion continues (it ends inside the function body, already indented). */
export const SUCCESSOR_FIM_PREFIX = 'def quicksort(arr):\n    ';

/** After <|fim_middle|>: one added token per piece, then <|endoftext|>. */
export const SUCCESSOR_FIM_TOKENS: readonly string[] = [
  'if len(arr) <= 1:',
  '\n        return arr',
  '\n    pivot = arr[0]',
  '\n    left = [x for x in arr[1:] if x < pivot]',
  '\n    right = [x for x in arr[1:] if x >= pivot]',
  '\n    return quicksort(left) + [pivot] + quicksort(right)',
];
export const SUCCESSOR_FIM_TEXT = SUCCESSOR_FIM_TOKENS.join('');

/** Markup that must stay inert wherever an explanation is rendered. */
export const SUCCESSOR_HOSTILE_PAYLOAD = `<img src=x onerror="document.title='pwned'">`;

/** After a chat prompt's "<|im_start|>assistant\n" (or "Explanation:" / "解释："): then <|endoftext|>. */
export const SUCCESSOR_EXPLAIN_TOKENS: readonly string[] = [
  'This function sorts a list with **quicksort**.',
  '\n\n- It picks the first element as the *pivot*.',
  '\n- It splits the rest into `left` (smaller) and `right` (not smaller).',
  '\n- It sorts both parts recursively and joins them around the pivot.',
  `\n\n${SUCCESSOR_HOSTILE_PAYLOAD}`,
  '\n\nFor example, `quicksort([3, 1, 2])` returns `[1, 2, 3]`.',
];
export const SUCCESSOR_EXPLAIN_TEXT = SUCCESSOR_EXPLAIN_TOKENS.join('');

/** Texts of a last token that starts the explanation: newlines, optionally after ":" or "：". */
export const SUCCESSOR_EXPLAIN_TRIGGER = /^[:：]?\n*$/;

const FIM_MIDDLE_TOKEN = '<|fim_middle|>';

/**
 * The rule itself: the text of the token the model picks after a token whose text (an added
 * token's content, or a vocabulary token decoded) is `text`; undefined means <|endoftext|>.
 */
export function successorTokenText(text: string): string | undefined {
  for (const chain of [SUCCESSOR_FIM_TOKENS, SUCCESSOR_EXPLAIN_TOKENS]) {
    const at = chain.indexOf(text);
    if (at >= 0) return chain[at + 1];
  }
  if (text === FIM_MIDDLE_TOKEN) return SUCCESSOR_FIM_TOKENS[0];
  if (text !== '' && SUCCESSOR_EXPLAIN_TRIGGER.test(text)) return SUCCESSOR_EXPLAIN_TOKENS[0];
  const last = text.slice(-1);
  for (const run of [SUCCESSOR_ALPHABET, SUCCESSOR_DIGITS]) {
    const at = last === '' ? -1 : run.indexOf(last);
    if (at >= 0) return run[at + 1];
  }
  return undefined;
}

/** Everything the model greedily adds after a prompt whose last token's text is `lastTokenText`. */
export function successorContinuation(lastTokenText: string): string {
  let out = '';
  for (let next = successorTokenText(lastTokenText); next !== undefined; next = successorTokenText(next)) out += next;
  return out;
}
