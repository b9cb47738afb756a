// Notices a local model folder appearing or changing, so a model copied in after a failed load is
// picked up at once. A folder that does not exist yet is waited for by watching its nearest existing
// parent; once it exists, everything under it is watched. Bursts (a copy writes many files) are
// reported once they go quiet.
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';

export interface FolderWatch {
  dispose(): void;
}

const QUIET_MS = 400;

export function watchFolder(folder: string, onChange: () => void, quietMs = QUIET_MS): FolderWatch {
  let watcher: FSWatcher | undefined;
  let watching = '';
  let timer: NodeJS.Timeout | undefined;
  let disposed = false;

  const settle = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!disposed) onChange();
    }, quietMs);
  };

  const arm = (): void => {
    if (disposed) return;
    const target = nearestExisting(folder);
    if (target === watching && watcher) return;
    watcher?.close();
    watching = target;
    try {
      watcher = watch(target, { recursive: target === folder, persistent: false }, () => {
        // A parent's change may be the folder (or a closer parent) appearing: watch closer, then report.
        if (watching !== folder) arm();
        settle();
      });
      watcher.on('error', () => undefined);
    } catch {
      watcher = undefined;
    }
  };

  arm();
  return {
    dispose: () => {
      disposed = true;
      clearTimeout(timer);
      watcher?.close();
    },
  };
}

function nearestExisting(path: string): string {
  let current = path;
  while (!existsSync(current)) {
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return current;
}
