// A small workspace made fresh for each run, so no test sees another's edits or settings.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const fixtureFiles: Readonly<Record<string, string>> = {
  'quicksort.py': [
    'def quicksort(items):',
    '    """Sort a list with quicksort and return a new list."""',
    '    if len(items) <= 1:',
    '        return items',
    '    pivot = items[len(items) // 2]',
    '    left = [x for x in items if x < pivot]',
    '    middle = [x for x in items if x == pivot]',
    '    right = [x for x in items if x > pivot]',
    '    return quicksort(left) + middle + quicksort(right)',
    '',
    '',
    'if __name__ == "__main__":',
    '    print(quicksort([3, 6, 1, 8, 2, 9, 4]))',
    '',
  ].join('\n'),
  'greet.ts': [
    'export interface Person {',
    '  name: string;',
    '  age: number;',
    '}',
    '',
    'export function greet(person: Person): string {',
    '  return `Hello, ${person.name}!`;',
    '}',
    '',
  ].join('\n'),
  'notes.txt': 'Scratch file for typing tests.\n',
};

export interface FixtureOptions {
  /** Workspace settings (`.vscode/settings.json`). The model belongs in user settings: a workspace cannot choose it. */
  settings?: Record<string, unknown>;
  /** More files, relative path to content. */
  files?: Record<string, string>;
  /** Where to create it; a fresh temp folder by default. */
  parent?: string;
}

/** Settings that run the given model folder, as a user who picked it has them (user settings; Remote settings in code-server). */
export function modelUserSettings(model: string): Record<string, unknown> {
  return { 'inkling.model.id': model, 'inkling.model.dtype': 'fp32' };
}

/** Creates the workspace and returns its absolute path. */
export function createFixtureWorkspace(options: FixtureOptions = {}): string {
  const parent = options.parent ?? tmpdir();
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, 'inkling-ws-'));
  const settings: Record<string, unknown> = { ...options.settings };
  const files: Record<string, string> = {
    ...fixtureFiles,
    ...options.files,
    '.vscode/settings.json': JSON.stringify(settings, null, 2) + '\n',
  };
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return root;
}
