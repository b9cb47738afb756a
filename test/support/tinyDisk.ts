// A tiny tmpfs, to fill a disk for real (ENOSPC from the kernel, statfs that tells the truth). Needs
// root (or CAP_SYS_ADMIN); undefined where mounting is not allowed, so the caller can skip and say why.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TinyDisk {
  path: string;
  unmount(): void;
}

export function mountTinyDisk(kilobytes: number, options: { readOnly?: boolean } = {}): TinyDisk | undefined {
  const path = mkdtempSync(join(tmpdir(), 'inkling-tiny-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kilobytes}k${options.readOnly ? ',ro' : ''}`, 'tmpfs', path], { stdio: 'ignore' });
  } catch {
    rmSync(path, { recursive: true, force: true });
    return undefined;
  }
  return {
    path,
    unmount() {
      execFileSync('umount', ['-l', path], { stdio: 'ignore' });
      rmSync(path, { recursive: true, force: true });
    },
  };
}
