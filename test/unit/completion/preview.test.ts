// Previews: a slow model's complete lines are shown once the user has waited through a pause, the model
// writes on, and the whole completion follows from the cache when the editor asks again.
import * as assert from 'node:assert/strict';
import type { CompletedPreview, CompletionServiceOptions } from '../../../src/completion/completionService';
import { CompletionService, PREVIEW_AFTER_MS, PREVIEW_SLOW_PIECE_MS, describeCompletion } from '../../../src/completion/completionService';
import { fitCompletion, startFit } from '../../../src/completion/fitCompletion';
import type { FakeCall } from './fakes';
import { FakeGenerator, completionSettings, cursorIn, fakeModel, requestAt, tick } from './fakes';

const live = () => new AbortController().signal;
// The cursor on an empty line in a block: a multi-line completion may go here.
const BODY = 'function report(rows: Row[]) {\n  ‸\n}\n';
const WHOLE = 'const total = sum(rows);\n  const count = rows.length;\n  return { total, count };';

function slowService(extra: Partial<CompletionServiceOptions> = {}) {
  let now = 1000;
  const fake = new FakeGenerator(() => '', { manual: true });
  const model = fakeModel(fake);
  const places: CompletedPreview[] = [];
  const svc = new CompletionService({ model: () => model, orphanGraceMs: 20, now: () => now, sleep: async () => undefined, ...extra });
  svc.onDidCompletePreview((place) => places.push(place));
  return { fake, svc, places, advance: (ms: number) => (now += ms) };
}

/** A request in BODY to a slow model, the user's pause already waited through: the model's call to write into. */
async function askAfterPause(extra: Partial<CompletionServiceOptions> = {}) {
  const service = slowService(extra);
  const pending = service.svc.provide(requestAt(BODY), live());
  await tick();
  service.advance(PREVIEW_AFTER_MS);
  return { ...service, pending, call: service.fake.calls[0] };
}

/** Emits `pieces` one after another, `msEach` apart on the service's clock. */
function write(call: FakeCall, advance: (ms: number) => number, pieces: readonly string[], msEach: number): void {
  for (const piece of pieces) {
    advance(msEach);
    call.emit(piece);
  }
}

async function state(promise: Promise<unknown>): Promise<'pending' | 'settled'> {
  return Promise.race([promise.then(() => 'settled' as const), tick().then(() => 'pending' as const)]);
}

describe('previews: a slow model\'s first lines while it writes the rest', () => {
  it('shows the complete lines once the request has waited its pause, keeps the model writing, then serves the whole completion from the cache', async () => {
    const { fake, svc, places, advance } = slowService();
    const request = requestAt(BODY);
    const pending = svc.provide(request, live());
    await tick();
    const call = fake.calls[0];
    write(call, advance, ['const total', ' = sum(rows);', '\n  const'], 40);
    assert.equal(await state(pending), 'pending', `nothing before ${PREVIEW_AFTER_MS} ms`);
    write(call, advance, [' count', ' = rows', '.length;', '\n  return'], 50);
    const preview = await pending;
    assert.equal(preview?.text, 'const total = sum(rows);\n  const count = rows.length;');
    assert.equal(preview?.stats.preview, true);
    assert.equal(call.signal?.aborted, false, 'the model writes on');
    await tick(40);
    assert.equal(call.signal?.aborted, false, 'nobody waiting does not make a previewed generation an orphan');
    assert.deepEqual(places, []);
    write(call, advance, [' { total, count };', '\n}'], 40);
    call.finish('eos');
    await tick();
    assert.deepEqual(places, [{ path: request.path, offset: request.offset, trigger: 'explicit', msAfterPreview: 80 }], 'the editor is told the whole completion is ready, and how soon after the preview');
    const whole = await svc.provide(request, live());
    assert.equal(whole?.text, WHOLE);
    assert.equal(whole?.stats.source, 'cache');
    assert.equal(svc.counters.generationsStarted, 1);
  });

  it('keeps brackets open in a preview: `return {` shows while the object is still being written', async () => {
    const { advance, pending, call } = await askAfterPause();
    write(call, advance, ['return', ' {', '\n    total', ':'], 30);
    assert.equal((await pending)?.text, 'return {');
    assert.equal(fitCompletion({ ...placeOf(BODY), modelOutput: 'return {' }), undefined, 'the same text as a whole completion is refused');
  });

  it('hands the whole completion out, not a preview, when a fast model finishes it', async () => {
    const { places, advance, pending, call } = await askAfterPause();
    write(call, advance, ['const total = sum(rows);', '\n  const count = rows.length;', '\n  return { total, count };', '\n'], PREVIEW_SLOW_PIECE_MS / 2);
    assert.equal(await state(pending), 'pending', 'a model this fast is not previewed');
    call.finish('eos');
    const result = await pending;
    assert.equal(result?.text, WHOLE);
    assert.equal(result?.stats.preview, undefined);
    await tick();
    assert.deepEqual(places, []);
  });

  it('with the preview switch off, waits for the whole completion however slow the model', async () => {
    const { advance, pending, call } = await askAfterPause({ switches: { preview: false } });
    write(call, advance, ['const total = sum(rows);', '\n  const count', ' = rows.length;', '\n  return'], 100);
    assert.equal(await state(pending), 'pending');
    write(call, advance, [' { total, count };'], 100);
    call.finish('eos');
    assert.equal((await pending)?.text, WHOLE);
  });

  it('after the preview is accepted, the next request rides the running generation and gets the rest', async () => {
    const { svc, advance, pending, call } = await askAfterPause();
    write(call, advance, ['const total', ' = sum(rows);', '\n  const'], 40);
    assert.equal((await pending)?.text, 'const total = sum(rows);');
    // Tab: the preview is in the document now.
    const next = svc.provide(requestAt('function report(rows: Row[]) {\n  const total = sum(rows);‸\n}\n'), live());
    write(call, advance, [' count = rows.length;', '\n  return { total, count };', '\n}'], 40);
    const rest = await next;
    assert.equal(rest?.stats.source, 'inflight');
    assert.equal(rest?.text, '\n  const count = rows.length;', 'the next complete line, itself a preview');
    call.finish('eos');
    await tick();
    const last = await svc.provide(requestAt('function report(rows: Row[]) {\n  const total = sum(rows);‸\n}\n'), live());
    assert.equal(last?.text, '\n  const count = rows.length;\n  return { total, count };', 'then the whole rest, typed ahead from the cache');
    assert.equal(svc.counters.generationsStarted, 1);
  });

  it('a keystroke elsewhere still stops a previewed generation', async () => {
    const { svc, advance, pending, call } = await askAfterPause();
    write(call, advance, ['const total', ' = sum(rows);', '\n'], 40);
    assert.ok((await pending)?.stats.preview);
    void svc.provide(requestAt('function report(rows: Row[]) {\n  x‸\n}\n', { trigger: 'automatic' }), live());
    assert.equal(call.signal?.aborted, true);
  });

  it('with an auto-closed ")" after the cursor: the first line retyping it replaces it, and the whole completion follows from the cache', async () => {
    const { fake, svc, advance } = slowService();
    const request = requestAt('export async function summarize(path: string‸)\n');
    const pending = svc.provide(request, live());
    await tick();
    advance(PREVIEW_AFTER_MS);
    const call = fake.calls[0];
    write(call, advance, ['):', ' Promise<Report>', ' {', '\n  const rows', ' = await'], 40);
    const preview = await pending;
    assert.equal(preview?.text, '): Promise<Report> {', 'the first line, its ")" the one the editor put there');
    assert.equal(preview?.replaceLength, 1);
    assert.equal(preview?.stats.preview, true);
    assert.match(describeCompletion(preview!.stats), /^completion \(generated, \w+, preview\): /, 'the debug log tells a preview from a whole completion');
    write(call, advance, [' read(path);', '\n  return total(rows);', '\n}'], 40);
    call.finish('eos');
    await tick();
    const whole = await svc.provide(request, live());
    assert.equal(whole?.text, '): Promise<Report> {\n  const rows = await read(path);\n  return total(rows);\n}');
    assert.equal(whole?.replaceLength, 1);
    assert.equal(whole?.stats.source, 'cache');
  });

  it('with an auto-closed ")" its first lines do not retype: shown before it, so Tab leaves the cursor inside and the next requests ride the generation', async () => {
    const { fake, svc, advance } = slowService();
    const pending = svc.provide(requestAt('setTimeout(‸);\n', { trigger: 'automatic' }), live());
    await tick();
    advance(PREVIEW_AFTER_MS);
    const call = fake.calls[0];
    write(call, advance, ['() => {', '\n  tick', '();'], 40);
    const preview = await pending;
    assert.deepEqual([preview?.text, preview?.replaceLength], ['() => {', 0], 'inserted before the user\'s ");", not merged into lines not yet whole');
    // Tab: the preview is in the document, the cursor before the editor's ");".
    const after = 'setTimeout(() => {‸);\n';
    const next = svc.provide(requestAt(after, { trigger: 'automatic' }), live());
    write(call, advance, ['\n  log("done");'], 40);
    const line = await next;
    assert.equal(line?.stats.source, 'inflight', 'the same generation, not a new one');
    assert.deepEqual([line?.text, line?.replaceLength], ['\n  tick();', 0], 'the next complete line, itself a preview');
    write(call, advance, ['\n}, 100);'], 40);
    call.finish('eos');
    await tick();
    const rest = await svc.provide(requestAt(after, { trigger: 'automatic' }), live());
    assert.deepEqual([rest?.text, rest?.replaceLength], ['\n  tick();\n  log("done");\n}, 100);', 2], 'then the whole rest over the ");"');
    assert.equal(svc.counters.generationsStarted, 1);
  });

  it('with an auto-closed "}" after the cursor: the body\'s complete lines go above it, on a line of its own, as in the whole completion', () => {
    const fit = startFit(placeOf('if (ready) {‸}'));
    fit?.push('\n  start();\n  log(');
    assert.deepEqual(fit?.preview(), { insertText: '\n  start();\n}', replaceLength: 1 });
  });

  it('shows no preview where code follows the cursor on its line, nor for a one-line completion', () => {
    const code = startFit(placeOf('const f = (‸) + g;'));
    code?.push('a,\n  b');
    assert.equal(code?.preview(), undefined, 'the code after the cursor is the whole completion\'s to place');
    const oneLine = startFit(placeOf('const total = ‸'));
    oneLine?.push('sum(rows);\n  const');
    assert.equal(oneLine?.preview(), undefined, 'a one-line completion is decided at its line break: it is handed out whole');
  });
});

function placeOf(textWithCursor: string) {
  const { text, offset } = cursorIn(textWithCursor);
  return {
    before: text.slice(0, offset), after: text.slice(offset), languageId: 'typescript', trigger: 'explicit' as const,
    indentation: { insertSpaces: true, tabSize: 2 }, options: { multiline: completionSettings().multiline },
  };
}
