// The editor the benchmark's typist types into, reduced to what changes the document: Enter keeps
// the line's indentation and adds a level after an opener (`{`, `(`, `[`), a closer typed first on a
// line moves it back a level (VS Code's indentation rules for TypeScript), Backspace deletes one
// character. Brackets are not auto-closed unless asked: every line is typed at its end, as when a
// user writes a new function. With `autoClose`, as in VS Code: a typed `(`, `[` or `{` gets its
// closer after the cursor, typing that closer moves over it, Backspace right after the opener
// deletes both, and Enter between them moves the closer to a line of its own below. The trace types
// each closer itself: one typed first on its line takes the place of the one waiting below (a user
// moves past it), so the document ends as the trace wrote it.

import { OPENERS } from '../../src/completion/codeScanner';

export type Key = { kind: 'text'; char: string } | { kind: 'enter' } | { kind: 'backspace' };

export const INDENT = '  ';
const OPENS = /[{([]$/;
const CLOSERS = new Set(['}', ')', ']']);

export interface TypingEditorOptions {
  autoClose?: boolean;
}

export class TypingEditor {
  /** Closers the editor added after the cursor, innermost first (only with `autoClose`). */
  private closers = '';

  constructor(private before: string, private readonly after: string, private readonly options: TypingEditorOptions = {}) {}

  /** The whole document. */
  get text(): string {
    return this.before + this.closers + this.after;
  }

  /** The cursor's offset in `text`. */
  get offset(): number {
    return this.before.length;
  }

  /** The cursor's line up to the cursor. */
  get linePrefix(): string {
    return this.before.slice(this.before.lastIndexOf('\n') + 1);
  }

  /** Whether typing `key` now takes the place of a closer Enter moved to the line below (autoClose). */
  takesWaitingCloser(key: Key): boolean {
    if (key.kind !== 'text' || this.linePrefix.trim() !== '') return false;
    const waiting = /^\n[ \t]*/.exec(this.closers)?.[0];
    return waiting !== undefined && this.closers[waiting.length] === key.char;
  }

  press(key: Key): void {
    if (key.kind === 'backspace') this.backspace();
    else if (key.kind === 'enter') this.enter();
    else this.type(key.char);
  }

  private backspace(): void {
    if (this.closers && OPENERS[this.before.slice(-1)] === this.closers[0]) this.closers = this.closers.slice(1);
    this.before = this.before.slice(0, -1);
  }

  private enter(): void {
    const line = this.linePrefix;
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    // Between an opener and its auto-closed closer, the closer goes to a line of its own below.
    if (CLOSERS.has(this.closers[0] ?? '')) this.closers = `\n${indent}${this.closers}`;
    // Trailing spaces on the line left behind are trimmed, as VS Code's auto-indent does.
    if (line.trim() === '') this.before = this.before.slice(0, this.before.length - line.length);
    this.before += `\n${indent}${OPENS.test(line.trimEnd()) ? INDENT : ''}`;
  }

  private type(char: string): void {
    if (this.closers.startsWith(char)) {
      this.closers = this.closers.slice(1);
      this.before += char;
      return;
    }
    const takesWaiting = this.takesWaitingCloser({ kind: 'text', char });
    const line = this.linePrefix;
    if (CLOSERS.has(char) && line.trim() === '' && line.startsWith(INDENT)) this.before = this.before.slice(0, -INDENT.length);
    this.before += char;
    // The closer waiting on a line below is the one the trace types here.
    if (takesWaiting) this.closers = this.closers.slice(this.closers.indexOf(char) + 1);
    else if (this.options.autoClose && OPENERS[char] !== undefined) this.closers = OPENERS[char] + this.closers;
  }
}
