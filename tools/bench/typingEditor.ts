// The editor the benchmark's typist types into, reduced to what changes the document: Enter keeps
// the line's indentation and adds a level after an opener (`{`, `(`, `[`), a closer typed first on a
// line moves it back a level (VS Code's indentation rules for TypeScript), Backspace deletes one
// character. Brackets are not auto-closed: every line is typed at its end, as when a user writes a
// new function (the editor benchmark, in real VS Code, has auto-closing on).

export type Key = { kind: 'text'; char: string } | { kind: 'enter' } | { kind: 'backspace' };

export const INDENT = '  ';
const OPENS = /[{([]$/;
const CLOSERS = new Set(['}', ')', ']']);

export class TypingEditor {
  constructor(private before: string, private readonly after: string) {}

  /** The whole document. */
  get text(): string {
    return this.before + this.after;
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
    if (key.kind === 'backspace') this.before = this.before.slice(0, -1);
    else if (key.kind === 'enter') this.enter();
    else this.type(key.char);
  }

  private enter(): void {
    const line = this.linePrefix;
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    // Trailing spaces on the line left behind are trimmed, as VS Code's auto-indent does.
    if (line.trim() === '') this.before = this.before.slice(0, this.before.length - line.length);
    this.before += `\n${indent}${OPENS.test(line.trimEnd()) ? INDENT : ''}`;
  }

  private type(char: string): void {
    const line = this.linePrefix;
    if (CLOSERS.has(char) && line.trim() === '' && line.startsWith(INDENT)) this.before = this.before.slice(0, -INDENT.length);
    this.before += char;
  }
}
