// Finished completions, least recently used first out. Looked up two ways: the exact prompt (key),
// or "typed ahead": the user has since typed the start of a cached completion, so the rest is served
// without running the model.
import { createHash } from 'node:crypto';
import type { FitEdit } from './fitCompletion';
import type { Anchor, Position } from './typedAhead';
import { typedSince, untypedRest } from './typedAhead';

export interface CachedCompletion extends Anchor {
  /** contextKey + what else decides the output: the trigger and the prompt's hash. */
  key: string;
  /** The fitted edit at the anchor, '\n' line ends; an empty insertText records that the model had nothing to add here. */
  edit: FitEdit;
}

export const DEFAULT_CACHE_SIZE = 500;

export function cacheKey(contextKey: string, variant: string, prompt: string): string {
  return `${contextKey}|${variant}|${createHash('sha1').update(prompt).digest('hex')}`;
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
  findTypedAhead(position: Position, pastAutoClosed = true): { entry: CachedCompletion; typed: string; remainder: FitEdit } | undefined {
    const newestFirst = [...this.entries.values()].reverse();
    for (const entry of newestFirst) {
      const found = typedSince(entry, position, entry.edit.insertText, entry.edit.replaceLength, pastAutoClosed);
      if (found === undefined) continue;
      // Typed all of it: nothing left to suggest, and an older entry is no better.
      if (found.typed.length > 0 && found.typed.length === entry.edit.insertText.length) return undefined;
      this.touch(entry);
      return { entry, typed: found.typed, remainder: untypedRest(entry.edit, found) };
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
