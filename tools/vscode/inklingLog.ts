// Inkling's own output log as code-server writes it (one file per window under its logs folder), read
// back by the editor benchmark and printed when a UI test fails.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every Inkling log under `userDataDir`'s logs folder, concatenated. */
export function readInklingLog(userDataDir: string): string {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const name of safeList(at)) {
      const full = join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/inkling/i.test(name) && name.endsWith('.log')) found.push(full);
    }
  };
  walk(join(userDataDir, 'logs'));
  return found.map((file) => readFileSync(file, 'utf8')).join('\n');
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
