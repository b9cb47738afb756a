// When the rest of the cursor's line is only closers (`fetch(‸)`, `"‸"`, `{‸}`, `<img src={‸} />`), the
// edit replaces them, and its text keeps every one of them: the completion's own retyped closers where
// they match (`url, opts);` keeps its `;`), the user's where the completion has none. Nothing the user
// typed is lost, and nothing is doubled.
import { CLOSERS, balanceProblems, scanCode } from './codeScanner';
import type { FitContext } from './fitContext';
import { leadingSpace } from './lineShape';

/** `completion` with the closers after the cursor (`context.lineSuffix`) merged in. */
export function mergeClosers(completion: string, context: FitContext): string {
  return mergeClosersHow(completion, context).text;
}

/**
 * The merge and how it placed the user's closers: where the completion retypes one of their brackets
 * or quotes, on a line of their own below a body, or otherwise (matched to its punctuation, or after it).
 */
export function mergeClosersHow(completion: string, context: FitContext): { text: string; how: 'retyped' | 'ownLine' | 'other' } {
  const rest = context.lineSuffix;
  const lastLineStart = completion.lastIndexOf('\n') + 1;
  const { text: merged, retyped } = mergeRetyped(completion, lastLineStart, rest, context);
  // A body written on lines of its own (`{‸}` then ⏎ body) leaves the closers a line of their own.
  const ownLine = !retyped && lastLineStart > 0 && completion.slice(0, completion.indexOf('\n')).trim() === '' && /^\s*[)\]}]/.test(rest);
  const candidate = ownLine ? `${completion.trimEnd()}\n${leadingSpace(context.linePrefix)}${rest.trimStart()}` : merged;
  // Where the completion's quotes or brackets only seem to retype the user's, plain appending may read better.
  const appended = completion + rest;
  const problems = (text: string) => balanceProblems(context.linePrefix + text, context.syntax, context.lineStart);
  if (problems(appended) < problems(candidate)) return { text: appended, how: 'other' };
  return { text: candidate, how: ownLine ? 'ownLine' : retyped ? 'retyped' : 'other' };
}

/**
 * Matches the user's closers, in order, to closers in the completion that close what was open before
 * it (the auto-closed `)` retyped, maybe before a block it then opens); the unmatched ones are inserted
 * where they belong. `retyped`: the completion retyped at least one of the user's brackets or quotes.
 */
function mergeRetyped(completion: string, lastLineStart: number, rest: string, context: FitContext): { text: string; retyped: boolean } {
  const retyped = retypedClosers(completion, context);
  const tail = lastLineStart + trailingRunStart(completion.slice(lastLineStart));
  const matches: Array<number | undefined> = [];
  let at = 0;
  for (const ch of rest) {
    let found: number | undefined;
    if (CLOSERS[ch] !== undefined || ch === '"' || ch === "'" || ch === '`') {
      for (let q = at; q < completion.length; q++) if (completion[q] === ch && retyped.has(q)) { found = q; break; }
    } else {
      // Spaces and punctuation match right after the last match, or in the completion's final run of closers.
      for (let q = at; q < completion.length; q++) {
        if (completion[q] === ch && (q >= tail || completion.slice(at, q).trim() === '')) { found = q; break; }
      }
    }
    matches.push(found);
    if (found !== undefined) at = found + 1;
  }
  let out = '';
  let copied = 0;
  let pending = '';
  rest.split('').forEach((ch, k) => {
    const q = matches[k];
    if (q === undefined) {
      pending += ch;
      return;
    }
    out += completion.slice(copied, q) + pending + ch;
    pending = '';
    copied = q + 1;
  });
  const anyRetyped = rest.split('').some((ch, k) => matches[k] !== undefined && (CLOSERS[ch] !== undefined || /["'`]/.test(ch)));
  // Closers after the last match follow it; with no match at all they follow the completion.
  const text = copied > 0 ? out + pending + completion.slice(copied) : completion + pending;
  return { text, retyped: anyRetyped };
}

/** Positions of closers in `completion` that close brackets or a string opened before it. */
function retypedClosers(completion: string, context: FitContext): Set<number> {
  const found = new Set<number>();
  let own = 0;
  let ownQuote = false;
  scanCode(completion, context.syntax, context.atCursor, (e) => {
    if (e.kind === 'open') own++;
    else if (e.kind === 'close') {
      if (own > 0) own--;
      else found.add(e.index);
    } else if (e.kind === 'quoteOpen') ownQuote = true;
    else if (e.kind === 'quoteClose') {
      // Every character of the delimiter: `"""` retypes the user's `"""` whole.
      if (!ownQuote) for (let k = 0; k < e.char.length; k++) found.add(e.index + k);
      ownQuote = false;
    }
  });
  return found;
}

/** Where the run of closers, quotes, punctuation and spaces ending `line` starts. */
function trailingRunStart(line: string): number {
  const run = /(?:[\s)\]}"'`;,:>]|\/>)*$/.exec(line);
  return run ? run.index : line.length;
}
