// The one place raw model text becomes what the editor shows. The inline provider (through
// CompletionService), the CLI and the golden cases all call this; keep its signature stable.
//
//   fitCompletion({ before, after, languageId, trigger, indentation, modelOutput, options? })
//     → { insertText, replaceLength } | undefined
//
// `before`/`after` are the document's text on each side of the cursor ('\n' line ends; a window is
// enough). The edit inserts `insertText` ('\n' line ends, the document's tabs or spaces) at the cursor
// and replaces the `replaceLength` characters after it, all on the cursor's line. undefined: show nothing.
import { fitContextOf } from './fitContext';
import { FitStream } from './fitStream';

export type Trigger = 'automatic' | 'explicit';
export type MultilineMode = 'auto' | 'always' | 'never';

export interface FitOptions {
  /** When a completion may span lines (the `inkling.completion.multiline` setting); default 'auto'. */
  multiline?: MultilineMode;
  /** The most lines one completion may have; default 16. */
  maxLines?: number;
  /** Text that ends the model's output where it appears (the prompt template's end tokens). */
  stops?: readonly string[];
}

/** Where a completion goes: everything fitCompletion needs besides the model's text. */
export interface FitPlace {
  before: string;
  after: string;
  languageId: string;
  /** 'explicit' when the user asked (Alt+\): only then may a completion sit before code on its line. */
  trigger: Trigger;
  indentation: { insertSpaces: boolean; tabSize: number };
  options?: FitOptions;
}

export interface FitInput extends FitPlace {
  /** The model's raw text, exactly as generated. */
  modelOutput: string;
}

export interface FitEdit {
  /** Text to insert at the cursor. */
  insertText: string;
  /** Characters of the cursor's line after the cursor that the edit replaces. */
  replaceLength: number;
}

/** The edit to show for `modelOutput` at this place, or undefined for nothing. */
export function fitCompletion(input: FitInput): FitEdit | undefined {
  const stream = startFit(input);
  if (!stream) return undefined;
  stream.push(input.modelOutput);
  return stream.finish();
}

/**
 * The same work on a stream: push the model's text as it arrives; push() returns true once the
 * completion is decided, so generation can stop. undefined when nothing can be shown here at all
 * (an automatic request before code on the cursor's line), so no generation should start.
 */
export function startFit(place: FitPlace): FitStream | undefined {
  const context = fitContextOf(place);
  return context.rest === 'code' && context.trigger === 'automatic' ? undefined : new FitStream(context);
}
