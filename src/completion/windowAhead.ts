// Moves the prompt's window ahead while the model is idle. While the user types at one place the
// prefix keeps its first line (promptBuilder.ts), until it no longer fits: then it starts lower and
// every prompt token is computed again — a cold prompt, in whichever pause that keystroke lands.
// When the model is idle — a completion ran to its end, or the user types along a finished one —
// and that move is a line or so away, the moved prompt is computed now instead, and the next
// keystroke builds on it from the kept cache. A request that needs the model first stops it
// between prompt chunks and keeps the chunks already computed.
import type { Logger } from '../base/logger';
import type { LoadedModel, SamplingOptions } from '../model/protocol';
import type { BuiltPrompt } from './promptBuilder';

/** Room (in the builder's tokens, ~55 characters of code) below which the next line will likely move the window. */
export const AHEAD_ROOM_TOKENS = 16;

/** What a started generation's prompt leaves to move ahead, and how. */
export interface AheadCandidate {
  model: Pick<LoadedModel, 'generate'>;
  built: BuiltPrompt;
  /** The same place's prompt with the prefix started afresh, lower, with room to grow into. */
  moved(): BuiltPrompt;
  sampling: SamplingOptions;
  path: string;
  contextKey: string;
  /** The cursor's offset the prompt was built for. */
  offset: number;
}

/** The prefix the next prompt at this place should keep (where the moved window starts), and its room. */
export interface MovedPrefix {
  path: string;
  contextKey: string;
  prefix: string;
  offset: number;
  room: number;
}

/**
 * Whether a prompt built now at `offset` might have under AHEAD_ROOM_TOKENS of room, given the room
 * of the last one built at this place: a token is at least a character, so typing N characters
 * takes at most N tokens of room. False spares building a prompt on a keystroke that cannot move.
 */
export function mayNeedMove(last: { room: number; offset: number } | undefined, offset: number): boolean {
  return !last || last.room - Math.max(0, offset - last.offset) < AHEAD_ROOM_TOKENS;
}

export class WindowAhead {
  private candidate: { generation: object; ahead: AheadCandidate } | undefined;
  private warming: AbortController | undefined;
  /** Windows moved ahead so far (tests and benchmarks). */
  moves = 0;

  constructor(private readonly log: Logger) {}

  /** A generation started; only its own prompt may move ahead when it ends. */
  started(generation: object, ahead: AheadCandidate | undefined): void {
    this.candidate = ahead ? { generation, ahead } : undefined;
  }

  /** A newer prompt was built: an older generation's window is no longer the one to move. */
  forget(): void {
    this.candidate = undefined;
  }

  /** Whether a moved window is being computed now. */
  get busy(): boolean {
    return this.warming !== undefined;
  }

  /**
   * `generation` ended. When it ran to its end (not stopped for a newer request) and nothing else
   * runs, its prompt's window may move ahead now (moveNow).
   */
  ended(generation: object, ranToEnd: boolean, idle: boolean): MovedPrefix | undefined {
    const candidate = this.candidate;
    if (candidate?.generation !== generation) return undefined;
    this.candidate = undefined;
    return ranToEnd && idle ? this.moveNow(candidate.ahead) : undefined;
  }

  /**
   * With the model idle: when `ahead`'s prefix is about to outgrow its window, computes the moved
   * prompt now and returns its prefix for the next prompt at that place.
   */
  moveNow(ahead: AheadCandidate): MovedPrefix | undefined {
    if (ahead.built.prefixRoom >= AHEAD_ROOM_TOKENS) return undefined;
    const moved = ahead.moved();
    if (moved.prefix === ahead.built.prefix) return undefined;
    this.stop();
    const controller = new AbortController();
    this.warming = controller;
    this.moves++;
    this.log.debug(`completion: the prompt's window moved ahead while the model is idle (${ahead.built.prefixRoom} tokens of room were left; ${moved.tokens} prompt tokens to compute)`);
    // One new token: the prompt is what is wanted, kept in the model process's cache. Background:
    // any other request (an explanation too) stops it.
    ahead.model.generate({ prompt: moved.prompt, sampling: { ...ahead.sampling, maxNewTokens: 1 }, stop: [], background: true }, { signal: controller.signal })
      .catch((err: unknown) => this.log.debug(`completion: moving the window ahead failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        if (this.warming === controller) this.warming = undefined;
      });
    return { path: ahead.path, contextKey: ahead.contextKey, prefix: moved.prefix, offset: ahead.offset, room: moved.prefixRoom };
  }

  /** A real request needs the model: the move ahead stops after its current chunk. */
  stop(): void {
    this.warming?.abort();
    this.warming = undefined;
  }
}
