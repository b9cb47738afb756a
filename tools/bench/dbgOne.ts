import { CompletionService } from '../../src/completion/completionService';
import { readSettings } from '../../src/settings/settings';
import { ensureTestModel } from '../makeModel/modelCache';
import { PATHS, startEngine } from './typingEngines';
import { typingDocument } from './typingDocument';
import { join } from 'node:path';
import { repoRoot } from '../repoRoot';
async function main() {
  const folder = await ensureTestModel('bench-scripted', 'q8');
  const engine = await startEngine(PATHS.inkling, join(repoRoot(), 'dist', 'modelProcess.js'), folder, 'q8', 0);
  const settings = readSettings(() => undefined).settings.completion;
  const svc = new CompletionService({ model: () => engine.model, onGenerationEnd: (r) => console.log('record', JSON.stringify(r)) });
  svc.onDidStartGeneration((req) => console.log('prompt tail', JSON.stringify(req.prompt.slice(-80)), req.prompt.length));
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    const r = await svc.provide({ document: typingDocument.before + typingDocument.after, offset: typingDocument.before.length, languageId: 'typescript', path: typingDocument.path, eol: '\n', indentation: { insertSpaces: true, tabSize: 2 }, settings, trigger: 'explicit' }, new AbortController().signal);
    console.log('result', performance.now() - t, JSON.stringify(r));
    const raw = await engine.model.generate({ prompt: '<|fim_prefix|>x<|fim_suffix|>y<|fim_middle|>', sampling: settings.sampling, stop: [] });
    console.log('raw', JSON.stringify(raw));
  }
  engine.dispose();
}
void main();
