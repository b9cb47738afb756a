// Context from other open editors: the windows of their code most like the code around the cursor,
// by Jaccard similarity of identifier sets (the approach Copilot's "neighboring tabs" made common).
import { formatAsComment } from '../languages/commentSyntax';
import type { TextView } from './cursorContext';
import { normalizeEol } from './cursorContext';
import { MAX_SNIPPET_SOURCE_CHARS, looksBinary } from './prefilter';

export interface OpenDocument {
  /** Workspace-relative path, shown in the snippet's comment. */
  path: string;
  languageId: string;
  text: TextView;
}

export interface Snippet {
  path: string;
  text: string;
  /** Jaccard similarity, 0..1. */
  score: number;
}

export interface SnippetOptions {
  maxSnippets?: number;
  windowLines?: number;
  /** Similarity below which a window is not worth its tokens. */
  minScore?: number;
}

/** Bounds the work per request however many editors are open. */
const MAX_SOURCES = 20;
const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
// Keywords say nothing about what the code is about; they would make every window look alike.
const STOP_WORDS = new Set(('if else for while do return function const let var class def import from export new this self '
  + 'true false null undefined none public private protected static void int string in of is not and or as with try catch '
  + 'finally throw async await yield break continue switch case default type interface struct fn pub use mut let end then').split(' '));

export function identifierSet(text: string): Set<string> {
  const set = new Set<string>();
  for (const m of text.matchAll(IDENTIFIER)) {
    const word = m[0];
    if (word.length > 1 && !STOP_WORDS.has(word.toLowerCase())) set.add(word);
  }
  return set;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * The best window of each other document, best first, at most `maxSnippets`. `around` is the code
 * near the cursor. Documents that are huge, binary or the current file are not searched.
 */
export function selectSnippets(around: string, documents: readonly OpenDocument[], currentPath: string, options: SnippetOptions = {}): Snippet[] {
  const { maxSnippets = 3, windowLines = 30, minScore = 0.05 } = options;
  const target = identifierSet(around);
  if (target.size === 0 || maxSnippets <= 0) return [];
  const best: Snippet[] = [];
  for (const doc of documents.slice(0, MAX_SOURCES)) {
    if (doc.path === currentPath || doc.text.length === 0 || doc.text.length > MAX_SNIPPET_SOURCE_CHARS) continue;
    const text = normalizeEol(doc.text.slice(0, doc.text.length));
    if (looksBinary(text.slice(0, 4096))) continue;
    const found = bestWindow(text.split('\n'), target, windowLines);
    if (found && found.score >= minScore) best.push({ path: doc.path, text: found.text, score: found.score });
  }
  return best.sort((a, b) => b.score - a.score).slice(0, maxSnippets);
}

function bestWindow(lines: readonly string[], target: ReadonlySet<string>, windowLines: number): { text: string; score: number } | undefined {
  const size = Math.max(1, windowLines);
  // Half-window steps: every stretch of code falls mostly inside some window, at twice the cost of tiling.
  const step = Math.max(1, Math.floor(size / 2));
  let winner: { start: number; score: number } | undefined;
  for (let start = 0; start < lines.length; start += step) {
    const score = jaccard(target, identifierSet(lines.slice(start, start + size).join('\n')));
    if (!winner || score > winner.score) winner = { start, score };
    if (start + size >= lines.length) break;
  }
  if (!winner) return undefined;
  const text = lines.slice(winner.start, winner.start + size).join('\n').replace(/^\n+|\s+$/g, '');
  return text ? { text, score: winner.score } : undefined;
}

/** A snippet as comment lines in the current document's language, or undefined where it has no comments. */
export function formatSnippet(snippet: Snippet, languageId: string): string | undefined {
  const body = formatAsComment(`Related code in ${snippet.path}:\n${snippet.text}`, languageId);
  return body === undefined ? undefined : `${body}\n`;
}
