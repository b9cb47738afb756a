// Leftovers of downloads that never finished: temporary files of a killed writer, and partial
// downloads too old (or too poorly described) to resume. Run only under the model's lock, when no
// download can be writing them.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isTempFile, PARTIAL_SUFFIX, RESUME_SUFFIX } from './cacheLayout';

/** A partial download older than this is not worth resuming. */
const PARTIAL_MAX_AGE_MS = 7 * 24 * 3600_000;

/** Deletes the stale files under `folder`; returns their paths. */
export async function sweepStaleFiles(folder: string, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const names = new Set(entries.map((e) => e.name));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < 4) await visit(path, depth + 1);
        continue;
      }
      let stale = isTempFile(entry.name);
      if (entry.name.endsWith(PARTIAL_SUFFIX)) {
        const note = `${entry.name.slice(0, -PARTIAL_SUFFIX.length)}${RESUME_SUFFIX}`;
        stale = !names.has(note) || now - (await stat(path).then((s) => s.mtimeMs, () => 0)) > PARTIAL_MAX_AGE_MS;
      } else if (entry.name.endsWith(RESUME_SUFFIX)) {
        stale = !names.has(`${entry.name.slice(0, -RESUME_SUFFIX.length)}${PARTIAL_SUFFIX}`);
      }
      if (stale) {
        await rm(path, { force: true });
        removed.push(path);
      }
    }
  };
  await visit(folder, 0);
  return removed;
}
