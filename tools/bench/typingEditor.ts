// The editor the benchmark's typist types into, reduced to what changes the document: Enter keeps
// the line's indentation and adds a level after an opener (`{`, `(`, `[`), a closer typed first on a
// line moves it back a level (VS Code's indentation rules for TypeScript), Backspace deletes one
// character. Brackets are not auto-closed unless asked: every line is typed at its end, as when a
// user writes a new function. With `autoClose`, a typed `(`, `[` or `{` gets its closer after the
// cursor and typing that closer moves over it, as in VS Code; Enter drops the closers still waiting
// (the trace types each closer itself, on a line of its own too, where VS Code would keep both), and
// Backspace right after an opener deletes its closer with it.

export type Key = { kind: 'text'; char: string } | { kind: 'enter' } | { kind: 'backspace' };

export const INDENT = '  ';
const OPENS = /[{([]$/;
const CLOSERS = new Set(['}', ')', ']']);
const CLOSER_OF: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

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

  press(key: Key): void {
    if (key.kind === 'backspace') this.backspace();
    else if (key.kind === 'enter') this.enter();
    else this.type(key.char);
  }

  private backspace(): void {
    if (this.closers && CLOSER_OF[this.before.slice(-1)] === this.closers[0]) this.closers = this.closers.slice(1);
    this.before = this.before.slice(0, -1);
  }

  private enter(): void {
    this.closers = '';
    const line = this.linePrefix;
    const indent = /^\s*/.exec(line)?.[0] ?? '';
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
    const line = this.linePrefix;
    if (CLOSERS.has(char) && line.trim() === '' && line.startsWith(INDENT)) this.before = this.before.slice(0, -INDENT.length);
    this.before += char;
    if (this.options.autoClose && CLOSER_OF[char] !== undefined) this.closers = CLOSER_OF[char] + this.closers;
  }
}
