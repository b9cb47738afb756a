// A post-processing stage sees the model's text as it streams in and passes on what it keeps. A stage
// that knows where the completion ends says so (`done`), and generation can stop right there.
//
// Every stage must give the same output however its input is cut into pieces: the streaming pipeline
// and fitCompletion (one piece) must agree. Stages that read whole lines get that from LineStage.
import type { FitContext } from '../fitContext';

export interface Stage {
  /** Takes the next piece of text; returns what it passes on now (it may hold some back). */
  push(text: string): string;
  /** The input has ended: returns whatever it still held back. */
  end(): string;
  /** It has seen where the completion ends; it passes on nothing more and ignores further input. */
  readonly done: boolean;
}

export type StageFactory = (context: FitContext) => Stage;

/** For a stage with nothing to do at this place: passes everything on. */
export function passThrough(): Stage {
  return { done: false, push: (text) => text, end: () => '' };
}
