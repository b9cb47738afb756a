// The editor benchmark's pieces that need no editor: the workspace, the ghost-text timeline, the
// process roles. The benchmark itself drives code-server (npm run bench:editor).
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCursorContext } from '../../../src/completion/cursorContext';
import { parseEditorBenchArgs } from '../editorOptions';
import { ghostBetween } from '../editorProbe';
import { createEditorWorkspace, HUGE_BYTES } from '../editorWorkspace';
import { cpuByRole, roleOf } from '../processCpu';

describe('editor benchmark pieces', () => {
  it('reads its flags in any order: a file list, then more flags', () => {
    assert.deepEqual(parseEditorBenchArgs(['--trace', 'small', '--rounds', '1']), { rounds: 1, traceFiles: ['small'], keystrokes: 0, capMs: 10_000, firstCapMs: 60_000, completionsOff: false, settings: {}, autoClose: false });
    assert.equal(parseEditorBenchArgs(['--completions-off']).completionsOff, true);
    assert.equal(parseEditorBenchArgs(['--vsix', '/tmp/other.vsix']).vsix, '/tmp/other.vsix');
    assert.equal(parseEditorBenchArgs(['--first-cap', '9000']).firstCapMs, 9000);
    assert.deepEqual(parseEditorBenchArgs(['--trace', 'none', '--cap', '2000']).traceFiles, []);
    assert.deepEqual(parseEditorBenchArgs([]).traceFiles, ['small', 'huge']);
    assert.equal(parseEditorBenchArgs(['--log', '/tmp/inkling.log', '--rounds', '2']).logFile, '/tmp/inkling.log');
    assert.deepEqual(parseEditorBenchArgs(['--setting', 'inkling.completion.debounceMs=100', '--setting', 'editor.wordWrap="on"']).settings, { 'inkling.completion.debounceMs': 100, 'editor.wordWrap': 'on' });
    assert.throws(() => parseEditorBenchArgs(['--setting', 'inkling.completion.debounceMs']), /KEY=JSON/);
    assert.throws(() => parseEditorBenchArgs(['--setting', 'editor.wordWrap=on']), /not JSON/);
    assert.throws(() => parseEditorBenchArgs(['--trace', 'tiny']), /--trace/);
    const autoClose = parseEditorBenchArgs(['--auto-close', '--setting', 'editor.autoClosingQuotes="never"']);
    assert.equal(autoClose.autoClose, true);
    assert.deepEqual(autoClose.settings, { 'editor.autoClosingBrackets': 'languageDefined', 'editor.autoClosingQuotes': 'never', 'editor.autoClosingOvertype': 'always' }, 'VS Code\'s auto-closing, a --setting over it');
  });

  it('makes a 5 MB file whose text around the cursor is the 300-line file\'s', () => {
    const parent = mkdtempSync(join(tmpdir(), 'inkling-editor-test-'));
    try {
      const ws = createEditorWorkspace(parent, { 'inkling.model.id': '/models/x' });
      const small = readFileSync(join(ws.root, ws.small.path), 'utf8');
      const huge = readFileSync(join(ws.root, ws.huge.path), 'utf8');
      assert.ok(ws.huge.bytes >= HUGE_BYTES * 0.99 && ws.huge.bytes <= HUGE_BYTES * 1.05, `${ws.huge.bytes} bytes`);
      const lines = small.split('\n').length;
      assert.ok(lines > 250 && lines < 320, `${lines} lines`);
      const offsetAt = (text: string, line: number) => text.split('\n').slice(0, line - 1).join('\n').length + 1;
      const window = 4096;
      const a = readCursorContext(small, offsetAt(small, ws.small.line), window);
      const b = readCursorContext(huge, offsetAt(huge, ws.huge.line), window);
      assert.equal(b.before.slice(-3000), a.before.slice(-3000));
      assert.equal(b.after.slice(0, 3000), a.after.slice(0, 3000));
      assert.equal(a.linePrefix + a.lineSuffix, '', 'the cursor sits on an empty line');
      assert.deepEqual(JSON.parse(readFileSync(join(ws.root, '.vscode', 'settings.json'), 'utf8')), { 'inkling.model.id': '/models/x' });
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('times ghost text from the key: new ghost text, kept ghost text, and ghost text hidden by the key', () => {
    const log = { keys: [], ghosts: [{ t: 100, shown: true }, { t: 150, shown: false }, { t: 400, shown: true }] };
    assert.equal(ghostBetween(log, 120, 300), undefined, 'hidden at 150 and not back before the next key');
    assert.equal(ghostBetween(log, 300, 1000), 400);
    assert.equal(ghostBetween(log, 500, 900), 500, 'still showing from before the key: counts from the key');
    assert.equal(ghostBetween(log, 90, 200), 100, 'shown 10 ms after the key, even if hidden again later');
  });

  it('names the processes by what they do, and reads this process tree\'s CPU time', () => {
    assert.equal(roleOf('/usr/bin/node /x/extensions/inkling-dev.inkling-0.1.0/dist/modelProcess.js'), 'model process');
    assert.equal(roleOf('node /cs/lib/vscode/extensions/node_modules/typescript/lib/tsserver.js --serverMode partialSemantic'), 'TypeScript server');
    assert.equal(roleOf('node /cs/lib/vscode/out/bootstrap-fork --type=extensionHost --transformURIs'), 'extension host');
    assert.equal(roleOf('/usr/lib/chromium/chromium --type=renderer --lang=en-US'), 'chromium renderer');
    assert.equal(roleOf('/root/.cache/inkling-tools/node-24/bin/node /root/.cache/inkling-tools/code-server-4.139.1/node_modules/code-server/out/node/entry'), 'code-server');
    const cpu = cpuByRole(1);
    assert.ok(Object.values(cpu).every((s) => s >= 0));
  });
});
