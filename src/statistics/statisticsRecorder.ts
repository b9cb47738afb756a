// The last N events, in memory and in the store. Recording is a push onto an array: the file is
// written later, off the typing path (at most one write a second), and only the new lines.
import { silentLogger, type Logger } from '../base/logger';
import { messageOf } from '../base/logger';
import { eventFrom, type StatisticsEvent } from './statisticsEvents';
import type { StatisticsStore } from './statisticsFile';

export const DEFAULT_EVENT_LIMIT = 10_000;

export interface RecorderOptions {
  store?: StatisticsStore;
  /** How many events are kept; older ones are dropped. */
  limit?: number;
  /** How long a recorded event may wait before it is written (with those that follow it). */
  flushDelayMs?: number;
  enabled?: boolean;
  log?: Logger;
}

export class StatisticsRecorder {
  private kept: StatisticsEvent[] = [];
  /** Recorded and not yet written. */
  private unsaved: StatisticsEvent[] = [];
  /** Event lines in the file, to know when it has grown enough to be rewritten. */
  private linesInFile = 0;
  private rewriteNext = true;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly limit: number;
  private readonly log: Logger;
  private on: boolean;
  /** Resolves once the store has been read (the kept events include the stored ones). */
  readonly loaded: Promise<void>;

  constructor(private readonly options: RecorderOptions = {}) {
    this.limit = Math.max(1, options.limit ?? DEFAULT_EVENT_LIMIT);
    this.log = options.log ?? silentLogger;
    this.on = options.enabled ?? true;
    this.loaded = this.load();
  }

  get enabled(): boolean {
    return this.on;
  }

  /** Turning recording off keeps what was recorded (Reset deletes it) and records nothing new. */
  setEnabled(on: boolean): void {
    if (on === this.on) return;
    this.on = on;
    this.changed();
  }

  /** The kept events, oldest first. */
  get events(): readonly StatisticsEvent[] {
    return this.kept;
  }

  /** Reads the store once; events recorded meanwhile come after the stored ones. */
  private async load(): Promise<void> {
    const store = this.options.store;
    if (!store) return;
    try {
      const { events, appendable } = await store.read();
      this.kept = [...events, ...this.kept].slice(-this.limit);
      this.linesInFile = events.length;
      this.rewriteNext = !appendable || events.length > this.limit;
      this.changed();
    } catch (error) {
      this.log.warn(`statistics: ${messageOf(error)}`);
    }
  }

  /** Records one event, rebuilt from its known fields only; false when recording is off or it is malformed. */
  record(event: StatisticsEvent): boolean {
    if (!this.on) return false;
    const clean = eventFrom(event);
    if (!clean) {
      this.log.warn(`statistics: a malformed ${String((event as { kind?: unknown }).kind)} event was not recorded`);
      return false;
    }
    this.kept.push(clean);
    if (this.kept.length > this.limit) this.kept.splice(0, this.kept.length - this.limit);
    this.unsaved.push(clean);
    this.scheduleFlush();
    this.changed();
    return true;
  }

  /** Deletes every event, here and in the store. */
  async reset(): Promise<void> {
    await this.loaded;
    this.clearTimer();
    this.kept = [];
    this.unsaved = [];
    this.linesInFile = 0;
    this.rewriteNext = false;
    this.changed();
    await this.options.store?.rewrite([]).catch((error: unknown) => this.log.warn(`statistics: could not reset the file: ${messageOf(error)}`));
  }

  /** Writes what is unsaved now. */
  async flush(): Promise<void> {
    this.clearTimer();
    const store = this.options.store;
    await this.loaded;
    if (!store || (this.unsaved.length === 0 && !this.rewriteNext)) return;
    const fresh = this.unsaved;
    this.unsaved = [];
    try {
      if (this.rewriteNext || this.linesInFile + fresh.length > 2 * this.limit) {
        const all = this.kept;
        await store.rewrite(all);
        this.linesInFile = all.length;
        this.rewriteNext = false;
      } else {
        await store.append(fresh);
        this.linesInFile += fresh.length;
      }
    } catch (error) {
      // Kept in memory; the next write tries the whole file again.
      this.rewriteNext = true;
      this.log.warn(`statistics: could not write the statistics file: ${messageOf(error)}`);
    }
  }

  /** Calls `listener` after every change (an event recorded, a reset, the store read, recording turned on or off). */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Writes what is unsaved and stops. */
  async dispose(): Promise<void> {
    await this.flush();
    this.listeners.clear();
  }

  private scheduleFlush(): void {
    if (this.timer || !this.options.store) return;
    this.timer = setTimeout(() => void this.flush(), this.options.flushDelayMs ?? 1_000);
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private changed(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.log.warn(`statistics: a listener failed: ${messageOf(error)}`);
      }
    }
  }
}
