// Download progress as the loader reports it, a whole percent per file at a time, and as a note in
// the lock file for the processes waiting on the same download, which show it as their own.
import type { HeldLock } from '../../cache/folderLock';
import type { LoadProgress } from '../../protocol';

interface Reporting {
  repo: string;
  onProgress: (progress: LoadProgress) => void;
}

/** Download progress by file, a whole percent at a time; waiting processes read it from the lock. */
export function progressReporter(request: Reporting, lock: HeldLock): (file: string, received: number, total?: number) => void {
  const last = new Map<string, number>();
  return (file, received, total) => {
    const percent = total ? Math.floor((received / total) * 100) : undefined;
    const key = percent ?? Math.floor(received / 1e6);
    if (last.get(file) === key) return;
    last.set(file, key);
    request.onProgress({ status: 'download', file, ...(percent !== undefined ? { percent } : {}) });
    void lock.touch(JSON.stringify({ file, percent }));
  };
}

/** What the process holding the lock is downloading, shown by one that waits for it. */
export function reportShared(request: Reporting, note: string | undefined): void {
  let shared: { file?: string; percent?: number } = {};
  try {
    shared = note ? (JSON.parse(note) as typeof shared) : {};
  } catch {
    // An unreadable note is just no detail.
  }
  request.onProgress({ status: 'download', file: `${shared.file ?? request.repo} (another window is downloading it)`, ...(typeof shared.percent === 'number' ? { percent: shared.percent } : {}) });
}
