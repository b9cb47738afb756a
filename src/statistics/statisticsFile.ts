// The statistics file: newline-delimited JSON, a header line naming the format, then one event a line.
// New events are appended (a few lines, never the whole history); the file is rewritten whole only
// after a reset, when it held lines that are not ours, or when it has grown to twice what is kept.
// A foreign, corrupt or unreadable file is ignored with a log line and replaced on the next write.
import { mkdir, readFile, rename, stat, appendFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../base/logger';
import { messageOf } from '../base/logger';
import { eventFrom, type StatisticsEvent } from './statisticsEvents';

/** Its name in the extension's global storage. */
export const STATISTICS_FILE = 'statistics.ndjson';
export const FILE_FORMAT = 'inkling-statistics';
export const FILE_VERSION = 1;
/** Larger than any file of ours (2 × 10,000 events is a few MB): a bigger file is not read. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

export interface ParsedFile {
  events: StatisticsEvent[];
  /** Lines that were not events of ours (a write cut short by a crash, an edit by hand). */
  skipped: number;
  /** The file is not a statistics file of this format at all. */
  foreign: boolean;
}

export function headerLine(): string {
  return JSON.stringify({ format: FILE_FORMAT, version: FILE_VERSION });
}

export function serializeEvents(events: readonly StatisticsEvent[]): string {
  return events.map((e) => `${JSON.stringify(e)}\n`).join('');
}

export function parseStatisticsFile(text: string): ParsedFile {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const header = lines.length > 0 ? parseJson(lines[0]!) : undefined;
  const ours = typeof header === 'object' && header !== null
    && (header as { format?: unknown }).format === FILE_FORMAT && (header as { version?: unknown }).version === FILE_VERSION;
  if (!ours) return { events: [], skipped: 0, foreign: lines.length > 0 };
  const events: StatisticsEvent[] = [];
  let skipped = 0;
  for (const line of lines.slice(1)) {
    const event = eventFrom(parseJson(line));
    if (event) events.push(event);
    else skipped++;
  }
  return { events, skipped, foreign: false };
}

export interface StoredEvents {
  events: StatisticsEvent[];
  /** The file is ours and whole: new events may be appended to it; otherwise the next write rewrites it. */
  appendable: boolean;
}

/** Where the recorder keeps its events (a StatisticsFile; tests may keep them in memory). */
export interface StatisticsStore {
  read(): Promise<StoredEvents>;
  append(events: readonly StatisticsEvent[]): Promise<void>;
  rewrite(events: readonly StatisticsEvent[]): Promise<void>;
}

/** One statistics file on disk; writes are queued one after another. */
export class StatisticsFile implements StatisticsStore {
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly path: string, private readonly log: Logger) {}

  /** The events in the file; none (with a log line) when it is missing, foreign, corrupt or unreadable. */
  async read(): Promise<StoredEvents> {
    const none: StoredEvents = { events: [], appendable: false };
    try {
      const size = (await stat(this.path)).size;
      if (size > MAX_FILE_BYTES) {
        this.log.warn(`statistics: ${this.path} is ${size} bytes, more than a statistics file of Inkling's can be; ignored, it will be replaced`);
        return none;
      }
      const text = await readFile(this.path, 'utf8');
      const parsed = parseStatisticsFile(text);
      if (parsed.foreign) this.log.warn(`statistics: ${this.path} is not an Inkling statistics file; ignored, it will be replaced`);
      else if (parsed.skipped > 0) this.log.warn(`statistics: ignored ${parsed.skipped} unreadable line(s) in ${this.path}`);
      return { events: parsed.events, appendable: !parsed.foreign && parsed.skipped === 0 && text.endsWith('\n') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`statistics: could not read ${this.path}: ${messageOf(error)}; starting empty`);
      return none;
    }
  }

  append(events: readonly StatisticsEvent[]): Promise<void> {
    return this.enqueue(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      await appendFile(this.path, serializeEvents(events), 'utf8');
    });
  }

  /** Replaces the file with exactly these events (through a temporary file, so a crash leaves the old one). */
  rewrite(events: readonly StatisticsEvent[]): Promise<void> {
    return this.enqueue(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const temporary = `${this.path}.${process.pid}.tmp`;
      await writeFile(temporary, `${headerLine()}\n${serializeEvents(events)}`, 'utf8');
      await rename(temporary, this.path);
    });
  }

  private enqueue(write: () => Promise<void>): Promise<void> {
    const next = this.queue.then(write);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
