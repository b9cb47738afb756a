// A throwaway copy of the working tree (tracked files plus untracked ones git does not ignore), so a
// mutant never touches the real one and an interrupted run leaves no bug behind. node_modules and the
// test-model cache are linked, not copied: they are large and no mutant changes them.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const LINKED = ['node_modules', '.cache'];

export function workingTreeFiles(repo: string): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  // A tracked file deleted in the working tree is listed but gone: the copy follows the working tree.
  return listed.split('\0').filter((file) => file && !LINKED.some((dir) => file === dir || file.startsWith(`${dir}/`)) && existsSync(join(repo, file)));
}

/** Copies `files` of `repo` into a new temporary folder and returns it; the caller removes it. */
export function copyWorkingTree(repo: string, files: readonly string[]): string {
  const copy = mkdtempSync(join(tmpdir(), 'inkling-mutant-'));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(repo, file), join(copy, file));
  }
  for (const dir of LINKED) if (existsSync(join(repo, dir))) symlinkSync(join(repo, dir), join(copy, dir));
  return copy;
}
