// Whitespace where the completion meets the document. After `const total = ` a completion that
// starts with a space would double it; before code that starts with a space (` * qty`) a trailing
// space would double too. A trailing space before code that does not start with one is meaningful
// (`subtotal + ‸price`) and stays. Spaces at the end of a line are noise the user would delete.
import type { FitContext } from '../fitContext';
import type { Stage } from './stage';

class SeamSpace implements Stage {
  readonly done = false;
  private started = false;
  /** Spaces and tabs at the end of the text so far: dropped or passed on once we know what follows. */
  private trailing = '';

  constructor(private readonly stripLeading: boolean, private readonly dropTrailing: boolean) {}

  push(text: string): string {
    let piece = text;
    if (!this.started && this.stripLeading) piece = piece.replace(/^[ \t]+/, '');
    if (piece === '') return '';
    this.started = true;
    const all = (this.trailing + piece).replace(/[ \t]+\n/g, '\n');
    const body = all.replace(/[ \t]+$/, '');
    this.trailing = all.slice(body.length);
    return body;
  }

  end(): string {
    const out = this.dropTrailing ? '' : this.trailing;
    this.trailing = '';
    return out;
  }
}

export function seamSpaceStage(context: FitContext): Stage {
  const { linePrefix, lineSuffix, rest } = context;
  const stripLeading = linePrefix.trim() !== '' && /[ \t]$/.test(linePrefix);
  const dropTrailing = rest === 'end' || /^[ \t]/.test(lineSuffix);
  return new SeamSpace(stripLeading, dropTrailing);
}
