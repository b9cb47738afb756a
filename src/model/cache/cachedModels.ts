// What the model cache holds, for "Inkling: Clear Model Cache": each hub model's folder with its
// size on disk, and removal of the ones the user picks — never one that a process is downloading.
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { repoIdProblem } from '../modelSource';
import { lockFileFor, modelFolder } from './cacheLayout';
import { liveHolder, tryLock } from './folderLock';

export interface CachedModel {
  repo: string;
  folder: string;
  bytes: number;
  /** Another process is downloading it right now. */
  busy: boolean;
}

/** Every model folder in the cache (owner/name, or a bare name), largest first. */
export async function listCachedModels(cacheDir: string): Promise<CachedModel[]> {
  const models: CachedModel[] = [];
  for (const owner of await folders(cacheDir)) {
    const ownerPath = join(cacheDir, owner);
    const inside = await folders(ownerPath);
    // A folder holding model files directly is a repo without an owner ("gpt2").
    if (await looksLikeModel(ownerPath)) models.push(await describe(cacheDir, owner));
    else for (const name of inside) models.push(await describe(cacheDir, `${owner}/${name}`));
  }
  return models.filter((m) => repoIdProblem(m.repo) === undefined).sort((a, b) => b.bytes - a.bytes);
}

export class CacheBusyError extends Error {}

/** Deletes a model's folder; throws CacheBusyError when another process is downloading it. */
export async function removeCachedModel(cacheDir: string, repo: string): Promise<void> {
  const folder = modelFolder(cacheDir, repo);
  const lock = await tryLock(lockFileFor(folder));
  if (!lock) throw new CacheBusyError(`${repo} is being downloaded by another window`);
  try {
    await rm(folder, { recursive: true, force: true });
  } finally {
    await lock.release();
  }
  // An owner folder left empty goes too (ENOTEMPTY when it still holds other models).
  if (repo.includes('/')) await rmdir(join(cacheDir, repo.split('/')[0]!)).catch(() => undefined);
}

async function describe(cacheDir: string, repo: string): Promise<CachedModel> {
  const folder = join(cacheDir, ...repo.split('/'));
  return { repo, folder, bytes: await sizeOf(folder), busy: (await liveHolder(lockFileFor(folder))) !== undefined };
}

async function looksLikeModel(path: string): Promise<boolean> {
  const names = await readdir(path).catch(() => [] as string[]);
  return names.includes('config.json') || names.includes('onnx');
}

async function folders(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

async function sizeOf(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true }).catch(() => [])) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) total += await sizeOf(full);
    else total += await stat(full).then((s) => s.size, () => 0);
  }
  return total;
}
