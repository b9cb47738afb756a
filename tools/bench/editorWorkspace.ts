// The editor benchmark's workspace: the typing benchmark's 300-line file, and a 5 MB file whose middle
// is the same code (so both ask the model the same prompt, give or take the path), with the cursor
// where the typist starts in each.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { typingDocument } from './typingDocument';

export interface EditorFile {
  /** Workspace-relative path. */
  path: string;
  /** 1-based line of the empty line where typing starts. */
  line: number;
  bytes: number;
}

export interface EditorWorkspace {
  root: string;
  /** The workspace settings written at the start. */
  settings: Readonly<Record<string, unknown>>;
  small: EditorFile;
  huge: EditorFile;
}

export const HUGE_BYTES = 5 * 1024 * 1024;

/** Ordinary generated TypeScript, one small function after another, `bytes` long at least. */
export function fillerCode(bytes: number, tag: string): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const block = [
      `/** Sums the ${tag} batch ${i} of quantities that pass the ${i % 7} threshold. */`,
      `export function ${tag}Batch${i}(lines: readonly StockLine[], floor = ${i % 7}): number {`,
      '  let total = 0;',
      '  for (const line of lines) {',
      `    if (line.quantity > floor) total += line.quantity * ${1 + (i % 13)};`,
      '  }',
      `  return Math.round(total / ${2 + (i % 5)});`,
      '}',
      '',
      '',
    ].join('\n');
    parts.push(block);
    length += block.length;
  }
  return parts.join('');
}

export function createEditorWorkspace(parent: string, settings: Record<string, unknown>): EditorWorkspace {
  const root = mkdtempSync(join(parent, 'inkling-editor-bench-'));
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const smallText = typingDocument.before + typingDocument.after;
  const half = Math.floor((HUGE_BYTES - smallText.length) / 2);
  const head = fillerCode(half, 'early');
  const hugeBefore = head + typingDocument.before;
  const hugeText = hugeBefore + typingDocument.after + fillerCode(half, 'late');
  write('small/stockLedger.ts', smallText);
  write('huge/stockLedger.ts', hugeText);
  writeWorkspaceSettings(root, settings);
  const lineOf = (before: string) => before.split('\n').length;
  return {
    root,
    settings,
    small: { path: 'small/stockLedger.ts', line: lineOf(typingDocument.before), bytes: Buffer.byteLength(smallText) },
    huge: { path: 'huge/stockLedger.ts', line: lineOf(hugeBefore), bytes: Buffer.byteLength(hugeText) },
  };
}

/** Writes the workspace's settings; VS Code applies a change to a running editor. */
export function writeWorkspaceSettings(root: string, settings: Readonly<Record<string, unknown>>): void {
  mkdirSync(join(root, '.vscode'), { recursive: true });
  writeFileSync(join(root, '.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}
