import * as assert from 'node:assert/strict';
import type { CompletionServiceOptions } from '../../../src/completion/completionService';
import { CompletionService } from '../../../src/completion/completionService';
import type { CompletionRequest } from '../../../src/completion/completionTypes';
import { TEMPLATES } from '../../../src/completion/templates';
import { loggerFrom } from '../../../src/base/logger';
import { FakeGenerator, completionSettings, fakeModel, modelInfo, requestAt, tick } from './fakes';

function service(generator: FakeGenerator, extra: Partial<CompletionServiceOptions> = {}) {
  const logs: string[] = [];
  const model = fakeModel(generator);
  const svc = new CompletionService({ model: () => model, log: loggerFrom((_level, m) => logs.push(m)), orphanGraceMs: 20, ...extra });
  return { svc, logs };
}

const live = () => new AbortController().signal;
const AREA = 'function area(r: number) {\n  return ‸\n}\n';

describe('completion service', () => {
  it('generates with the FIM prompt, sampling, template stops and a signal, and inserts at the cursor', async () => {
    const fake = new FakeGenerator(() => 'Math.PI * r * r;<|endoftext|>garbage');
    const { svc } = service(fake);
    const request = requestAt(AREA);
    const result = await svc.provide(request, live());
    assert.equal(result?.text, 'Math.PI * r * r;');
    assert.equal(result?.offset, request.offset);
    assert.equal(result?.replaceLength, 0);
    assert.equal(result?.fromCache, false);
    assert.equal(result?.stats.source, 'generated');
    const sent = fake.calls[0]?.request;
    assert.equal(sent?.prompt, '<|fim_prefix|>// src/app.ts\nfunction area(r: number) {\n  return <|fim_suffix|>\n}\n<|fim_middle|>');
    assert.deepEqual(sent?.sampling, request.settings.sampling);
    assert.deepEqual(sent?.stop, TEMPLATES.qwen.stop, 'the template\'s stops only: where the completion ends is the fit stages\' call');
    assert.ok(fake.calls[0]?.signal instanceof AbortSignal);
    assert.equal(svc.counters.inFlight, 0);
  });

  it('says in its debug log why a request got nothing: no model, a language turned off, a completion that came out empty', async () => {
    const noneLogs: string[] = [];
    const none = new CompletionService({ model: () => undefined, log: loggerFrom((_level, m) => noneLogs.push(m)) });
    assert.equal(await none.provide(requestAt(AREA, { trigger: 'automatic' }), live()), undefined);
    assert.ok(noneLogs.includes('completion: not asked of the model (no model loaded)'), noneLogs.join('\n'));
    const { svc, logs } = service(new FakeGenerator(() => ''));
    await svc.provide(requestAt('hello ‸', { languageId: 'plaintext', trigger: 'automatic' }), live());
    assert.ok(logs.includes('completion: not asked of the model (off for plaintext)'), logs.join('\n'));
    await svc.provide(requestAt(AREA), live());
    assert.ok(logs.some((line) => /^completion: nothing to show \(generated, \d+ ms\)$/.test(line)), logs.join('\n'));
  });

  it('says in its debug log why a keystroke\'s prompt was built afresh, and when its window started anew', async () => {
    const { svc, logs } = service(new FakeGenerator(() => ''), { sleep: async () => undefined });
    const auto = { trigger: 'automatic' as const };
    await svc.provide(requestAt('const f = (‸)\n', auto), live());
    await svc.provide(requestAt('const f = (a)‸\n', auto), live());
    assert.ok(logs.includes('completion: prompt built afresh (the text after the cursor changed)'), logs.join('\n'));
    const lines = Array.from({ length: 400 }, (_, i) => `const value${i} = compute(${i});`).join('\n');
    const small = completionSettings({ contextTokens: 256 });
    await svc.provide(requestAt(`${lines}\n‸`, { ...auto, settings: small }), live());
    await svc.provide(requestAt(`${lines}\n${'x'.repeat(300)}‸`, { ...auto, settings: small }), live());
    assert.ok(logs.some((line) => /^completion: the prompt's window starts afresh at this keystroke \(\d+ prompt tokens\)$/.test(line)), logs.join('\n'));
  });

  it('answers a repeated request from the cache without generating again', async () => {
    const fake = new FakeGenerator(() => 'Math.PI * r * r;');
    const { svc } = service(fake);
    await svc.provide(requestAt(AREA), live());
    const again = await svc.provide(requestAt(AREA), live());
    assert.equal(again?.text, 'Math.PI * r * r;');
    assert.equal(again?.fromCache, true);
    assert.equal(svc.counters.generationsStarted, 1);
    assert.equal(svc.counters.cacheHits, 1);
  });

  it('serves the rest of a suggestion the user is typing, with zero new generations', async () => {
    const fake = new FakeGenerator(() => 'Math.PI * r * r;');
    const { svc } = service(fake);
    await svc.provide(requestAt(AREA), live());
    const typed = await svc.provide(requestAt('function area(r: number) {\n  return Math.PI‸\n}\n'), live());
    assert.equal(typed?.text, ' * r * r;');
    assert.equal(typed?.stats.source, 'typedAhead');
    assert.equal(fake.calls.length, 1);
  });

  it('debounces automatic requests: those cancelled while waiting never reach the model, each said in the debug log', async () => {
    const fake = new FakeGenerator(() => '42;');
    const { svc, logs } = service(fake);
    const settings = completionSettings({ debounceMs: 30 });
    const controllers = [new AbortController(), new AbortController(), new AbortController()];
    const results = controllers.map((c, i) => {
      const pending = svc.provide(requestAt(`const n${i} = ‸`, { trigger: 'automatic', settings }), c.signal);
      controllers[i - 1]?.abort();
      return pending;
    });
    assert.equal(fake.calls.length, 0, 'nothing runs during the pause');
    const settled = await Promise.all(results);
    assert.deepEqual(settled.map((r) => r?.text), [undefined, undefined, '42;']);
    assert.equal(fake.calls.length, 1);
    assert.equal(logs.filter((line) => /^completion: withdrawn by the editor during the debounce, after \d+ ms$/.test(line)).length, 2, logs.join('\n'));
  });

  it('skips the debounce for explicit requests', async () => {
    const sleeps: number[] = [];
    const fake = new FakeGenerator(() => '42;');
    // The fixed debounce: the adaptive one would learn from the explicit request (latencyPolicy.test.ts).
    const { svc } = service(fake, { sleep: async (ms) => { sleeps.push(ms); }, switches: { adaptiveDebounce: false } });
    const settings = completionSettings({ debounceMs: 300 });
    await svc.provide(requestAt('const n = ‸', { trigger: 'explicit', settings }), live());
    assert.deepEqual(sleeps, []);
    await svc.provide(requestAt('const m = ‸', { trigger: 'automatic', settings }), live());
    assert.deepEqual(sleeps, [300]);
  });

  it('keeps at most one generation in flight over 50 rapid requests, each aborting the previous, and leaks none', async () => {
    const fake = new FakeGenerator(() => '', { manual: true });
    const { svc } = service(fake);
    let previous: AbortController | undefined;
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      const controller = new AbortController();
      pending.push(svc.provide(requestAt(`let word = ${'a'.repeat(i)}‸`, { trigger: 'automatic' }), controller.signal));
      previous?.abort();
      previous = controller;
      assert.ok(svc.counters.inFlight <= 1);
    }
    assert.equal(fake.maxActive, 1);
    previous?.abort();
    await Promise.all(pending);
    await tick(40); // the orphan grace
    assert.equal(fake.active, 0);
    assert.ok(fake.calls.every((c) => c.settled), 'every engine request ended');
    assert.equal(svc.counters.inFlight, 0);
    assert.equal(svc.counters.generationsStarted, 50);
    assert.equal(svc.counters.superseded, 49);
  });

  it('supersedes a generation that started while this request was debouncing', async () => {
    const fake = new FakeGenerator(() => '', { manual: true });
    const { svc } = service(fake);
    const waiting = svc.provide(requestAt('const late = ‸', { trigger: 'automatic', settings: completionSettings({ debounceMs: 20 }) }), live());
    void svc.provide(requestAt('const early = ‸', { trigger: 'explicit' }), live());
    assert.equal(fake.active, 1);
    await tick(40);
    assert.equal(fake.calls.length, 2);
    assert.equal(fake.calls[0]?.settled, true, 'the earlier generation was cancelled');
    assert.equal(fake.maxActive, 1);
    fake.calls[1]?.emit('1;');
    fake.calls[1]?.finish();
    assert.equal((await waiting)?.text, '1;');
  });

  it('reuses the in-flight generation when the user types what it has streamed so far', async () => {
    const fake = new FakeGenerator(() => '', { manual: true });
    const { svc } = service(fake);
    const first = new AbortController();
    const a = svc.provide(requestAt('const greeting = ‸', { trigger: 'automatic' }), first.signal);
    fake.calls[0]?.emit('"hel');
    first.abort(); // VS Code cancels the old request on the next keystroke
    const b = svc.provide(requestAt('const greeting = "h‸', { trigger: 'automatic' }), live());
    await tick();
    assert.equal(fake.calls.length, 1, 'no second generation');
    fake.calls[0]?.emit('lo";');
    fake.calls[0]?.finish();
    assert.equal(await a, undefined);
    const reused = await b;
    assert.equal(reused?.text, 'ello";');
    assert.equal(reused?.stats.source, 'inflight');
    assert.equal(svc.counters.inflightReuses, 1);
  });

  it('reuses the in-flight generation for a replacing completion, keeping the range over the auto-closed closer', async () => {
    const fake = new FakeGenerator(() => '', { manual: true });
    const { svc } = service(fake);
    const first = new AbortController();
    void svc.provide(requestAt('const res = await fetch(‸)\n', { trigger: 'automatic' }), first.signal);
    fake.calls[0]?.emit('url, op');
    first.abort();
    const typed = svc.provide(requestAt('const res = await fetch(url‸)\n', { trigger: 'automatic' }), live());
    await tick();
    fake.calls[0]?.emit('ts);');
    fake.calls[0]?.finish();
    const reused = await typed;
    assert.deepEqual([reused?.text, reused?.replaceLength, reused?.stats.source], [', opts);', 1, 'inflight']);
    assert.equal(fake.calls.length, 1);
  });

  it('cancels the in-flight generation when a newer request cannot use it', async () => {
    const fake = new FakeGenerator(() => '', { manual: true });
    const { svc } = service(fake);
    void svc.provide(requestAt('const a = ‸'), live());
    fake.calls[0]?.emit('1');
    void svc.provide(requestAt('const a = 2;\nconst b = ‸'), live());
    assert.equal(fake.calls[0]?.signal?.aborted, true);
    assert.equal(fake.calls.length, 2);
    assert.equal(svc.counters.superseded, 1);
    fake.calls[1]?.finish();
  });

  it('stops the model early once the completion is decided (a dedent ends the block)', async () => {
    const fake = new FakeGenerator(() => '\n    return a + b\n\ndef other():\n    return 2\n', { chunkDelayMs: 1 });
    const { svc } = service(fake);
    const result = await svc.provide(requestAt('def add(a, b):‸\n', { languageId: 'python', path: 'm.py' }), live());
    assert.equal(result?.text, '\n    return a + b');
    assert.equal(fake.calls[0]?.signal?.aborted, true, 'the engine was told to stop');
    assert.doesNotMatch(fake.calls[0]?.sent ?? '', /return 2/);
  });

  it('stops the model once a one-line completion has its line', async () => {
    const fake = new FakeGenerator(() => 'Math.PI * r * r;\n  console.log(r);\n  return area;\n', { chunkDelayMs: 1 });
    const { svc } = service(fake);
    const result = await svc.provide(requestAt(AREA), live());
    assert.equal(result?.text, 'Math.PI * r * r;');
    assert.equal(fake.calls[0]?.signal?.aborted, true);
    assert.doesNotMatch(fake.calls[0]?.sent ?? '', /return area/);
  });

  it('replaces the auto-closed closer a completion retypes, and keeps the completion\'s `;`', async () => {
    const fake = new FakeGenerator(() => 'url, opts);');
    const { svc } = service(fake);
    const request = requestAt('const res = await fetch(‸)\n');
    const result = await svc.provide(request, live());
    assert.equal(result?.text, 'url, opts);');
    assert.equal(result?.offset, request.offset);
    assert.equal(result?.replaceLength, 1);
  });

  it('serves the rest of a replacing completion after the user typed over the auto-closed closer', async () => {
    const fake = new FakeGenerator(() => 'url, opts);');
    const { svc } = service(fake);
    await svc.provide(requestAt('const res = await fetch(‸)\n'), live());
    const typing = await svc.provide(requestAt('const res = await fetch(url‸)\n'), live());
    assert.deepEqual([typing?.text, typing?.replaceLength, typing?.stats.source], [', opts);', 1, 'typedAhead']);
    const overtyped = await svc.provide(requestAt('const res = await fetch(url, opts)‸\n'), live());
    assert.deepEqual([overtyped?.text, overtyped?.replaceLength, overtyped?.stats.source], [';', 0, 'typedAhead']);
    assert.equal(fake.calls.length, 1);
  });

  it('keeps serving a suggestion whose "(" the user typed and the editor auto-closed, at the end of the document too', async () => {
    for (const end of ['', '\n']) {
      const fake = new FakeGenerator(() => '((x) => x * 2);');
      const { svc } = service(fake);
      await svc.provide(requestAt(`const doubled = [1, 2, 3].map‸${end}`), live());
      const typed = await svc.provide(requestAt(`const doubled = [1, 2, 3].map(‸)${end}`), live());
      assert.deepEqual([typed?.text, typed?.replaceLength, typed?.stats.source, fake.calls.length], ['(x) => x * 2);', 1, 'typedAhead', 1], JSON.stringify(end));
    }
  });

  it('asks again when a closer appears after a cursor at the end of the document that the typing did not open', async () => {
    const fake = new FakeGenerator((prompt) => (prompt.includes('<|fim_suffix|>)') ? ' + 1' : 'total'));
    const { svc } = service(fake);
    await svc.provide(requestAt('const sum = ‸'), live());
    const changed = await svc.provide(requestAt('const sum = ‸)'), live());
    assert.deepEqual([changed?.stats.source, fake.calls.length], ['generated', 2]);
    assert.match(changed?.text ?? '', /\+ 1/, 'the answer for the ) after the cursor, not the rest of "total"');
  });

  it('shows the next line for a completion that starts with a line break', async () => {
    const fake = new FakeGenerator(() => '\n  let count = 0;\n  return count;\n}');
    const { svc } = service(fake);
    const result = await svc.provide(requestAt('function f() {\n  let sum = 0;‸\n  return sum;\n}\n'), live());
    assert.equal(result?.text, '\n  let count = 0;\n  return count;');
    assert.equal(result?.stats.mode, 'multi');
  });

  it('skips binary content, minified code and a 50,000-character line without calling the model', async () => {
    const fake = new FakeGenerator(() => 'x');
    const { svc } = service(fake);
    assert.equal(await svc.provide(requestAt('PNG\u0000\u0001\u0002 ‸'), live()), undefined);
    assert.equal(await svc.provide(requestAt(`${'k'.repeat(25_000)}‸${'k'.repeat(25_000)}`), live()), undefined);
    assert.equal(fake.calls.length, 0);
    assert.equal(svc.counters.skipped, 2);
  });

  it('gives no automatic completion mid-line before real code, or where the language is switched off', async () => {
    const fake = new FakeGenerator(() => 'x');
    const { svc } = service(fake);
    assert.equal(await svc.provide(requestAt('const t = ‸price * qty;', { trigger: 'automatic' }), live()), undefined);
    assert.equal(await svc.provide(requestAt('notes ‸', { trigger: 'automatic', languageId: 'plaintext' }), live()), undefined);
    assert.equal(fake.calls.length, 0);
  });

  it('stays bounded on a 10 MB document: reads a window, not the file', async () => {
    const line = 'total = total + values[index] * weights[index];\n';
    const text = line.repeat(Math.ceil(10_000_000 / line.length));
    let read = 0;
    const document = { length: text.length, slice: (s: number, e: number) => { read += Math.max(0, e - s); return text.slice(s, e); } };
    const fake = new FakeGenerator(() => 'x');
    const { svc } = service(fake);
    const result = await svc.provide({ ...requestAt('‸'), document, offset: text.length - line.length * 1000 }, live());
    assert.equal(result?.text, 'x');
    assert.ok(read < 40_000, `read ${read} characters`);
  });

  it('answers CRLF documents with CRLF line ends', async () => {
    const fake = new FakeGenerator(() => '  a();\n  b();\n}');
    const { svc } = service(fake);
    const result = await svc.provide(requestAt('if (ok) {\r\n‸\r\n}\r\n', { eol: '\r\n' }), live());
    assert.equal(result?.text, '  a();\r\n  b();');
  });

  it('indents with tabs in a tab-indented document', async () => {
    const fake = new FakeGenerator(() => '\n    a();\n    b();\n}');
    const { svc } = service(fake);
    const result = await svc.provide(requestAt('function f() {‸\n}\n', { indentation: { insertSpaces: false, tabSize: 4 } }), live());
    assert.equal(result?.text, '\n\ta();\n\tb();');
  });

  it('completes an empty file and the very end of a file', async () => {
    const fake = new FakeGenerator((prompt) => (prompt.includes('<|fim_suffix|><|fim_middle|>') ? 'import x;' : ''));
    const { svc } = service(fake);
    assert.equal((await svc.provide(requestAt('‸'), live()))?.text, 'import x;');
    assert.equal((await svc.provide(requestAt('const a = 1;\n‸'), live()))?.text, 'import x;');
  });

  it('never throws: engine failures, broken documents and bad offsets give undefined and a log line', async () => {
    const failing = service(new FakeGenerator(() => '', { fail: new Error('process crashed') }));
    assert.equal(await failing.svc.provide(requestAt(AREA), live()), undefined);
    assert.ok(failing.logs.some((l) => l.includes('process crashed')));
    const broken = service(new FakeGenerator(() => 'x'));
    const document = { length: 10, slice: (): string => { throw new Error('document closed'); } };
    assert.equal(await broken.svc.provide({ ...requestAt('‸'), document, offset: 5 }, live()), undefined);
    assert.ok(broken.logs.some((l) => l.includes('document closed')));
    for (const offset of [-1, Number.NaN, 99]) assert.equal(await broken.svc.provide({ ...requestAt('ab‸'), offset }, live()), undefined);
    const noModel = new CompletionService({ model: () => undefined });
    assert.equal(await noModel.provide(requestAt(AREA), live()), undefined);
  });

  it('completes a model that cannot fill in the middle left to right', async () => {
    const fake = new FakeGenerator(() => '1;');
    const gpt2 = fakeModel(fake, modelInfo({ model: 'gpt2-code', specialTokens: ['<|endoftext|>'], modelType: 'gpt2' }));
    const { svc } = service(fake, { model: () => gpt2 });
    await svc.provide(requestAt('let a = ‸\nlet b = 2;\n'), live());
    assert.equal(fake.calls[0]?.request.prompt, '// src/app.ts\nlet a = ');
  });

  it('adds similar code from other open editors when useOpenEditors is on', async () => {
    const fake = new FakeGenerator(() => 'x');
    const { svc } = service(fake);
    const other = { path: 'src/geometry.ts', languageId: 'typescript', text: 'export function circleArea(radius: number) {\n  return Math.PI * radius * radius;\n}\n' };
    const request: CompletionRequest = requestAt('const radius = 2;\nconst circle = circleArea(‸', { openDocuments: [other], settings: completionSettings({ useOpenEditors: true }) });
    await svc.provide(request, live());
    assert.match(fake.calls[0]?.request.prompt ?? '', /\/\/ Related code in src\/geometry\.ts:\n\/\/ export function circleArea/);
  });
  it('reports what the statistics need: the engine\'s timings and KV reuse, and the tokens shown', async () => {
    const fake = new FakeGenerator(() => 'Math.PI * r * r;');
    const { svc } = service(fake, { tokenCounter: { count: (text) => text.length } });
    const generated = await svc.provide(requestAt(AREA), live());
    // The fake engine reports 2 ms in all, 1 ms to the first token, no prompt reused.
    assert.deepEqual([generated?.stats.generationMs, generated?.stats.timeToFirstTokenMs, generated?.stats.reusedPromptTokens], [2, 1, 0]);
    assert.equal(generated?.stats.shownTokens, 'Math.PI * r * r;'.length);
    const cached = await svc.provide(requestAt(AREA), live());
    assert.deepEqual([cached?.stats.source, cached?.stats.generatedTokens, cached?.stats.generationMs, cached?.stats.shownTokens], ['cache', 0, undefined, 16]);
  });
});
