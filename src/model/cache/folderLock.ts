// A lock that every process using the model cache honours (two VS Code windows, the CLI): a file
// created with O_EXCL that names its owner (pid, host, a nonce) and is touched while held. A lock
// whose owner is gone (same host, no such process) or that nobody touched for `staleMs` is broken,
// so a killed process never blocks the cache for long. The holder may leave a note in it (download
// progress) that waiting processes show their users.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

export interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
  /** What the holder is doing, for whoever waits. */
  note?: string;
}

export interface HeldLock {
  /** Marks the lock fresh and replaces its note. */
  touch(note?: string): Promise<void>;
  release(): Promise<void>;
}

export interface LockOptions {
  signal?: AbortSignal;
  /** A lock nobody touched for this long is abandoned. */
  staleMs?: number;
  /** How often a waiter looks again. */
  pollMs?: number;
  /** Called each time a waiter finds the lock held, with its owner. */
  onWait?: (owner: LockOwner) => void;
}

const DEFAULT_STALE_MS = 60_000;

/** Waits until the lock is ours; rejects with the signal's reason when it aborts first. */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<HeldLock> {
  const pollMs = options.pollMs ?? 250;
  for (;;) {
    options.signal?.throwIfAborted();
    const held = await tryLock(path, options);
    if (held) return held;
    const owner = await readOwner(path);
    if (owner) options.onWait?.(owner);
    await sleep(pollMs, options.signal);
  }
}

/** The lock if it is free (or abandoned) now; undefined when a live process holds it. */
export async function tryLock(path: string, options: Pick<LockOptions, 'staleMs'> = {}): Promise<HeldLock | undefined> {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const me: LockOwner = { pid: process.pid, host: hostname(), nonce: randomBytes(8).toString('hex') };
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      return heldLock(path, me, staleMs);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await liveHolder(path, staleMs);
    if (holder) return undefined;
    await breakAbandoned(path);
  }
  return undefined;
}

/** The process holding the lock, if one does and is alive. */
export async function liveHolder(path: string, staleMs = DEFAULT_STALE_MS): Promise<LockOwner | undefined> {
  let touched: number;
  try {
    touched = (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
  const owner = await readOwner(path);
  const fresh = Date.now() - touched < staleMs;
  // A half-written lock (its owner is writing it right now) counts as held while fresh.
  if (!owner) return fresh ? { pid: 0, host: '', nonce: '' } : undefined;
  if (owner.host === hostname() && owner.pid !== process.pid && !processAlive(owner.pid)) return undefined;
  return fresh ? owner : undefined;
}

function heldLock(path: string, me: LockOwner, staleMs: number): HeldLock {
  let note: string | undefined;
  let released = false;
  // One write at a time, and none after release: a write in flight would hide the owner from release.
  let writes: Promise<void> = Promise.resolve();
  const write = (): Promise<void> => {
    if (!released) writes = writes.then(() => writeFile(path, JSON.stringify({ ...me, ...(note ? { note } : {}) })).catch(() => undefined));
    return writes;
  };
  // Touching keeps the lock fresh even through a long, silent step (hashing a large file).
  const heartbeat = setInterval(() => void write(), Math.max(1000, Math.floor(staleMs / 4)));
  heartbeat.unref();
  return {
    async touch(next) {
      note = next;
      await write();
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      await writes;
      // Only our own lock: after a long stall another process may have broken it and taken it.
      if ((await readOwner(path))?.nonce === me.nonce) await unlink(path).catch(() => undefined);
    },
  };
}

/**
 * Removes an abandoned lock without ever removing a fresh one: the lock is renamed aside (only one
 * process can win that), and if what was renamed turns out to be someone's new lock it goes back.
 */
async function breakAbandoned(path: string): Promise<void> {
  const judged = await readOwner(path);
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.inkling-tmp`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const moved = await readOwner(aside);
  if (moved && judged && moved.nonce !== judged.nonce) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string' || typeof parsed.nonce !== 'string') return undefined;
    return { pid: parsed.pid, host: parsed.host, nonce: parsed.nonce, ...(typeof parsed.note === 'string' ? { note: parsed.note } : {}) };
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
