// What the `successor` test model says, exactly. Its next token depends on the last token (rules in
// tools/makeModel/README.md), except right after <|fim_middle|>, where a script key anywhere in the
// prompt picks the continuation. Tests import these strings to assert exact output.

/** A prompt whose last token ends in one of these letters continues with the rest of the alphabet. */
export const SUCCESSOR_ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
/** The same for digits (the tokenizer keeps every digit a token of its own). */
export const SUCCESSOR_DIGITS = '0123456789';

/** The FIM prefix the completion continues (it ends inside the function body, already indented). */
export const SUCCESSOR_FIM_PREFIX = 'def quicksort(arr):\n    ';

/** After <|fim_middle|> when the prompt holds no script key: one added token per piece, then <|endoftext|>. */
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

/**
 * Scripted fill-in-the-middle continuations. A FIM prompt that contains `scriptKey(name)` anywhere
 * (a test writes it into a comment of its document) gets exactly `scriptText(name)` after
 * <|fim_middle|>, then <|endoftext|>. Each piece is one token of its own: a vocabulary entry no
 * input text tokenizes to, so documents never contain them by accident. Pieces must be distinct
 * from each other and from every other token's text (the maker checks).
 */
export const SUCCESSOR_SCRIPTS = {
  /** TypeScript `[1, 2, 3].map(‸)` where the editor auto-closed the `)`: the model writes it again. */
  'map-call': ['(x) => ', 'x * 2)'],
  /** `console.log‸`: a call with its brackets, which the user may start by typing its `(`. */
  'log-call': ['("saved ', 'it");'],
  /** `if (ready) ‸`: a block (four-space indent), which the user may start by typing `{` and Enter. */
  'block-body': ['{\n    start', '();\n}'],
  /** Python `def first(items‸)` where the editor auto-closed the `)`: the `)` again, then a body of three lines. */
  'def-body': ['):\n    if not items', ':\n        return None', '\n    return items[0]'],
  /** TypeScript `setTimeout(‸)` where the editor auto-closed the `)`: a callback whose lines come before that `)`. */
  'callback-body': ['() => {\n    tick', '();\n    done', '();\n}, 100);'],
  /** `fetch(‸)` where the editor auto-closed the `)`: the arguments, the `)` again and the statement's `;`. */
  'fetch-args': ['url, ', 'opts);'],
  /** JSX `<Button ‸/>`: one prop and the space before `/>`. */
  'jsx-prop': ['disabled=', '{busy} '],
  /** Python `def f(‸):`: the parameters only. */
  'python-params': ['items: list[int], ', 'limit: int = 10'],
  /** A chat-style answer that starts with a markdown fence instead of code. */
  'markdown-fence': ['```python\n', 'return sorted(arr)', '\n```'],
  /** Repeats the line after the cursor (`  return a + b;`), as models often do. */
  'echo-suffix': ['const sum = a + b;', '\n  return a + b;'],
  /** Twenty lines `step(1);` … `step(20);`: more than a line cap of 16. */
  'twenty-lines': Array.from({ length: 20 }, (_, i) => `${i === 0 ? '' : '\n'}step(${i + 1});`),
  /** Nothing: <|endoftext|> straight away. */
  'empty': [],
} as const satisfies Record<string, readonly string[]>;

export type SuccessorScriptName = keyof typeof SUCCESSOR_SCRIPTS;
export const SUCCESSOR_SCRIPT_NAMES = Object.keys(SUCCESSOR_SCRIPTS) as SuccessorScriptName[];

/** The token a document carries to pick a script, e.g. `«map-call»`. An added token: it is never split. */
export function scriptKey(name: string): string {
  return `«${name}»`;
}

/** Exactly what the model writes after <|fim_middle|> when the prompt holds `scriptKey(name)`. */
export function scriptText(name: SuccessorScriptName): string {
  return SUCCESSOR_SCRIPTS[name].join('');
}

/** Every chain a constructed model follows. The successor and bench-scripted kinds differ only in `fim`. */
export interface ScriptBook {
  /** After <|fim_middle|> when the prompt holds no script key. */
  fim: readonly string[];
  /** After a last token that matches SUCCESSOR_EXPLAIN_TRIGGER. */
  explain: readonly string[];
  /** Keyed FIM scripts: name → pieces. */
  scripts: Readonly<Record<string, readonly string[]>>;
  /**
   * After a token no chain or trigger covers — letters and digits included — start `fim` instead of
   * ending: a stand-in for a real model, which goes on writing code after whatever the user typed
   * into the middle (the pipeline appends typed text after <|fim_middle|>; typedMiddle.ts).
   */
  fimAfterAnything?: boolean;
}

export const SUCCESSOR_BOOK: ScriptBook = { fim: SUCCESSOR_FIM_TOKENS, explain: SUCCESSOR_EXPLAIN_TOKENS, scripts: SUCCESSOR_SCRIPTS };

const FIM_MIDDLE_TOKEN = '<|fim_middle|>';

/**
 * A line's indentation (two or more spaces or tabs, after an optional newline) also starts the FIM
 * chain: the pipeline appends text typed since its last prompt after <|fim_middle|> (typedMiddle.ts),
 * so a prompt built a few keystrokes into `def quicksort(arr):` ends in the new line's indentation,
 * where a real model writes the body just as it would right after <|fim_middle|>.
 */
export const SUCCESSOR_INDENTATION = /^\n?[ \t]{2,}$/;

/**
 * The rule itself: the text of the token the model picks after a token whose text (an added
 * token's content, or a vocabulary token decoded) is `text`; undefined means <|endoftext|>.
 * A script key on its own continues with its script; <|fim_middle|> continues with `book.fim`
 * unless the prompt holds a key (see scriptedFimText).
 */
export function successorTokenText(text: string, book: ScriptBook = SUCCESSOR_BOOK): string | undefined {
  for (const chain of [book.fim, book.explain, ...Object.values(book.scripts)]) {
    const at = chain.indexOf(text);
    if (at >= 0) return chain[at + 1];
  }
  for (const [name, pieces] of Object.entries(book.scripts)) if (text === scriptKey(name)) return pieces[0];
  if (text === FIM_MIDDLE_TOKEN || SUCCESSOR_INDENTATION.test(text)) return book.fim[0];
  if (text !== '' && SUCCESSOR_EXPLAIN_TRIGGER.test(text)) return book.explain[0];
  if (book.fimAfterAnything && text !== '<|endoftext|>') return book.fim[0];
  const last = text.slice(-1);
  for (const run of [SUCCESSOR_ALPHABET, SUCCESSOR_DIGITS]) {
    const at = last === '' ? -1 : run.indexOf(last);
    if (at >= 0) return run[at + 1];
  }
  return undefined;
}

/** Everything the model greedily adds after a prompt whose last token's text is `lastTokenText` (and that holds no key). */
export function successorContinuation(lastTokenText: string, book: ScriptBook = SUCCESSOR_BOOK): string {
  let out = '';
  for (let next = successorTokenText(lastTokenText, book); next !== undefined; next = successorTokenText(next, book)) out += next;
  return out;
}
