// Finished completions, least recently used first out. Looked up two ways: the exact prompt (key),
// or "typed ahead": the user has since typed the start of a cached completion, so the rest is served
// without running the model.
import { createHash } from 'node:crypto';
import type { Anchor, Position } from './typedAhead';
import { typedSince } from './typedAhead';

export interface CachedCompletion extends Anchor {
  /** contextKey + what else decides the output: the mode and the prompt's hash. */
  key: string;
  /** Post-processed, '\n' line ends; '' records that the model had nothing to add here. */
  completion: string;
}

export const DEFAULT_CACHE_SIZE = 500;

export function cacheKey(contextKey: string, mode: string, prompt: string): string {
  return `${contextKey}|${mode}|${createHash('sha1').update(prompt).digest('hex')}`;
}

export class CompletionCache {
  private readonly entries = new Map<string, CachedCompletion>();

  constructor(private readonly capacity = DEFAULT_CACHE_SIZE) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): CachedCompletion | undefined {
    const entry = this.entries.get(key);
    if (entry) this.touch(entry);
    return entry;
  }

  set(entry: CachedCompletion): void {
    this.entries.delete(entry.key);
    this.entries.set(entry.key, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** The untyped rest of a cached completion this position has typed into ('' typed: the same spot). */
  findTypedAhead(position: Position): { entry: CachedCompletion; typed: string; remainder: string } | undefined {
    const newestFirst = [...this.entries.values()].reverse();
    for (const entry of newestFirst) {
      const typed = typedSince(entry, position, entry.completion);
      if (typed === undefined) continue;
      // Typed all of it: nothing left to suggest, and an older entry is no better.
      if (typed.length > 0 && typed.length === entry.completion.length) return undefined;
      this.touch(entry);
      return { entry, typed, remainder: entry.completion.slice(typed.length) };
    }
    return undefined;
  }

  clear(): void {
    this.entries.clear();
  }

  private touch(entry: CachedCompletion): void {
    this.entries.delete(entry.key);
    this.entries.set(entry.key, entry);
  }
}
