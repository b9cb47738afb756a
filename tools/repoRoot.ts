import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project folder, found by walking up from this (bundled) file to Inkling's package.json. */
export function repoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'inkling') return dir;
    if (dirname(dir) === dir) throw new Error(`No Inkling package.json above ${from}`);
  }
}
