// Where the model cache keeps things: one folder per hub repo (<cache>/<owner>/<name>, the layout
// transformers.js used, so older downloads are found), a lock file beside it, and inside it a record
// of the files that were verified, partial downloads and their resume notes.
import { join } from 'node:path';
import { repoIdProblem } from '../modelSource';

/** The verified files of one model folder (see verifiedFiles.ts). */
export const VERIFIED_FILE = '.inkling-verified.json';
/** A download in progress writes here, never to the file's own name. */
export const PARTIAL_SUFFIX = '.partial';
/** What a partial download needs to be resumed: the validator of the bytes already there. */
export const RESUME_SUFFIX = '.partial.json';
const LOCK_SUFFIX = '.inkling-lock';

/** The cache folder of a hub repo; throws for anything that is not a valid repo id. */
export function modelFolder(cacheDir: string, repo: string): string {
  const problem = repoIdProblem(repo);
  if (problem) throw new Error(`Not a hub repo id (${problem}): ${JSON.stringify(repo)}`);
  return join(cacheDir, ...repo.split('/'));
}

/** The lock every process takes before touching a model's folder. */
export function lockFileFor(folder: string): string {
  return `${folder}${LOCK_SUFFIX}`;
}

export function isLockFile(name: string): boolean {
  return name.endsWith(LOCK_SUFFIX);
}

/** Temporary files a killed writer leaves: transformers.js's `<file>.tmp.<pid>.<random>` and our own. */
export function isTempFile(name: string): boolean {
  return /\.tmp\.[\w.-]+$/.test(name) || name.endsWith('.inkling-tmp');
}
