// Every way a server lets Inkling down, as a user would want to read it: one sentence that says what
// happened and what to do, no stack trace; completions back off quietly instead of hammering the
// server, a 429's Retry-After is honoured, and the first answer after a problem says it is over.
import * as assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { GenerateRequest } from '../../../src/model/protocol';
import { ServerBackend } from '../../../src/model/server/serverBackend';
import { ServerError } from '../../../src/model/server/serverErrors';
import { closedPort } from '../../support/hubServer';
import type { Dialect } from '../../support/inferenceServer';
import { greedy, scripted, served, until, type Served } from './serverSupport';

const request = (extra: Partial<GenerateRequest> = {}): GenerateRequest => ({ prompt: 'def f():', sampling: greedy, stop: [], ...extra });

async function failure(work: Promise<unknown>): Promise<ServerError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof ServerError, `not a ServerError: ${String(error)}`);
    assert.doesNotMatch(error.message, /\n\s+at /, 'a stack trace in the message');
    return error;
  }
  return assert.fail('the request did not fail');
}

const completionCalls = (s: Served) => s.server.requests.filter((r) => r.path === '/v1/completions').length;

describe('a model on an inference server, when things go wrong', function () {
  this.timeout(20_000);
  let s: Served | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('server down: "Cannot reach … (connection refused)", in the status bar before any keystroke', async () => {
    const port = await closedPort();
    s = await served({ url: `http://127.0.0.1:${port}` });
    await until(() => s!.events.some((e) => e.type === 'problem'), 5_000);
    const error = await failure(s.model.generate(request()));
    assert.equal(error.message, `Cannot reach the inference server at http://127.0.0.1:${port} (connection refused). Completions resume by themselves once it answers.`);
    const problems = s.events.filter((e) => e.type === 'problem');
    assert.equal(problems.length, 1, 'one problem, however often it repeats');
  });

  it('a name that does not resolve: "Cannot find … Check inkling.server.url."', async () => {
    // What Node's fetch throws when DNS fails (no real lookup leaves this machine).
    const fetch = (async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND gpu-box.invalid'), { code: 'ENOTFOUND', hostname: 'gpu-box.invalid' }) });
    }) as typeof globalThis.fetch;
    s = await served({ url: 'http://gpu-box.invalid:8000', fetch, role: 'explain' });
    const error = await failure(s.model.generate(request()));
    assert.equal(error.message, 'Cannot find the inference server at http://gpu-box.invalid:8000: the name gpu-box.invalid does not resolve. Check inkling.server.url.');
  });

  for (const dialect of ['vllm', 'llamacpp', 'tgi'] as Dialect[]) {
    it(`401 from ${dialect} with a wrong key points at "Inkling: Set Server API Key"`, async () => {
      s = await served({ dialect, apiKey: 'right', clientKey: 'wrong', role: 'explain' });
      const error = await failure(s.model.generate(request()));
      assert.equal(error.message, `The inference server at ${s.server.url} refused the API key (401). Set the key with "Inkling: Set Server API Key".`);
      assert.match(error.detail ?? '', dialect === 'llamacpp' ? /Invalid API Key/ : /Unauthorized/);
    });
  }

  it('403 says access was denied and names the key command', async () => {
    s = await served({ role: 'explain' });
    s.server.trouble({ kind: 'status', status: 403, body: JSON.stringify({ error: { message: 'key lacks scope' } }) });
    const error = await failure(s.model.generate(request()));
    assert.equal(error.message, `The inference server at ${s.server.url} denied access (403). Check the API key ("Inkling: Set Server API Key") and what the server allows it.`);
  });

  for (const dialect of ['vllm', 'ollama'] as Dialect[]) {
    it(`404 from ${dialect} for a model it does not serve names the model and the setting`, async () => {
      s = await served({ dialect, models: ['other-model'], name: 'qwen2.5-coder:1.5b-base', role: 'explain' });
      const error = await failure(s.model.generate(request()));
      assert.equal(error.message, `The inference server at ${s.server.url} does not serve a model named "qwen2.5-coder:1.5b-base" (404). Set inkling.server.model to a name its /v1/models lists.`);
    });
  }

  it('404 for the endpoint asks whether inkling.server.url is the base URL (a missing /v1/models alone is no problem)', async () => {
    s = await served({ role: 'explain' });
    const wrong = await s.backend.acquire('completion', { url: `${s.server.url}/api`, model: 'qwen2.5-coder-1.5b', promptTemplate: 'auto' });
    await until(() => s!.server.requests.some((r) => r.path === '/api/v1/models'), 5_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(s.events.filter((e) => e.type === 'problem'), [], 'a 404 from /v1/models was said as a problem');
    const error = await failure(wrong.generate(request()));
    assert.equal(error.message, `The inference server at ${s.server.url} has no /api/v1/completions (404). Is inkling.server.url the server's base URL?`);
  });

  it('429 with Retry-After: says how long it waits, and sends nothing until then (explanations too)', async () => {
    s = await served({ role: 'explain', source: scripted(['ok']) });
    s.server.trouble({ kind: 'status', status: 429, body: JSON.stringify({ error: 'Model is overloaded', error_type: 'overloaded' }), headers: { 'retry-after': '1' } });
    const error = await failure(s.model.generate(request()));
    assert.equal(error.message, `The inference server at ${s.server.url} is busy (429); Inkling waits 1 s as it asked.`);
    const again = await failure(s.model.generate(request()));
    assert.equal(again.message, error.message);
    assert.equal(completionCalls(s), 1, 'a request went out during the Retry-After wait');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    assert.equal((await s.model.generate(request())).text, 'ok');
  });

  it('5xx says the server failed, with its own words', async () => {
    s = await served({ role: 'explain' });
    s.server.trouble({ kind: 'status', status: 503, body: JSON.stringify({ error: { message: 'CUDA out of memory' } }) });
    const error = await failure(s.model.generate(request()));
    assert.equal(error.message, `The inference server at ${s.server.url} failed (503): CUDA out of memory.`);
  });

  it('a stream that stalls ends after the idle limit with "stopped sending mid-answer"', async () => {
    s = await served({ role: 'explain', idleTimeoutMs: 300, source: scripted(['a', 'b', 'c']) });
    s.server.trouble({ kind: 'stall', afterPieces: 1 });
    const pieces: string[] = [];
    const error = await failure(s.model.generate(request(), { onToken: (t) => pieces.push(t) }));
    assert.equal(error.message, `The inference server at ${s.server.url} stopped sending mid-answer (nothing for 300 ms).`);
    assert.deepEqual(pieces, ['a']);
    await until(() => s!.server.open === 0, 2_000);
  });

  it('malformed events, or an HTML page where a stream was asked for, "cannot be read"', async () => {
    s = await served({ role: 'explain', source: scripted(['a', 'b']) });
    s.server.trouble({ kind: 'garbage', afterPieces: 1 });
    const garbled = await failure(s.model.generate(request()));
    assert.equal(garbled.message, `The inference server at ${s.server.url} answered in a form Inkling cannot read (not an OpenAI-compatible stream).`);
    assert.match(garbled.detail ?? '', /not JSON/);
    s.server.trouble({ kind: 'html' });
    const portal = await failure(s.model.generate(request()));
    assert.equal(portal.message, garbled.message);
    assert.match(portal.detail ?? '', /text\/html/);
  });

  it('a connection dropped mid-answer says so', async () => {
    s = await served({ role: 'explain', source: scripted(['a', 'b', 'c']) });
    s.server.trouble({ kind: 'drop', afterPieces: 2 });
    const error = await failure(s.model.generate(request()));
    assert.equal(error.message, `The inference server at ${s.server.url} closed the connection mid-answer.`);
  });

  it('a server that accepts the connection but never answers times out', async () => {
    const { server, url, sockets } = await silentServer();
    try {
      s = await served({ role: 'explain', url, answerTimeoutMs: 300 });
      const error = await failure(s.model.generate(request()));
      assert.equal(error.message, `The inference server at ${url} did not answer within 300 ms.`);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });

  it('an answer past its deadline ends with "did not finish within"', async () => {
    s = await served({ role: 'explain', source: scripted(Array.from({ length: 50 }, () => 'x')), pieceDelayMs: 50 });
    const error = await failure(s.model.generate(request({ deadlineMs: 400 })));
    assert.equal(error.message, `The inference server at ${s.server.url} did not finish within 400 ms.`);
    await until(() => s!.server.open === 0, 2_000);
  });

  it('unusable settings are refused with the setting named, and said as a problem', async () => {
    const events: unknown[] = [];
    const backend = new ServerBackend({ userAgent: 'Inkling/test', apiKey: () => undefined, onEvent: (e) => events.push(e) });
    const cases: Array<[string, string, string]> = [
      ['', 'm', 'inkling.backend is "server", but inkling.server.url is empty. Set it to the server\'s base URL, e.g. http://gpu-box:8000.'],
      ['gpu-box:8000', 'm', 'inkling.server.url must start with http:// or https:// (got gpu-box:).'],
      ['http://me:secret@gpu-box:8000', 'm', 'inkling.server.url must not hold a user name or password: set the key with "Inkling: Set Server API Key".'],
      ['http://gpu-box:8000', '', 'inkling.backend is "server", but inkling.server.model is empty. Set it to the model name the server lists at /v1/models.'],
    ];
    for (const [url, model, message] of cases) {
      const error = await failure(backend.acquire('completion', { url, model, promptTemplate: 'auto' }));
      assert.equal(error.message, message);
      assert.equal(error.problem, 'settings');
    }
    assert.equal(events.length, cases.length);
    backend.dispose();
  });

  it('completions back off quietly: typing during the back-off reaches nothing, and the newest request asks once it ends', async () => {
    s = await served({ source: scripted(['ok']) });
    s.server.trouble({ kind: 'status', status: 500, body: '{"error":{"message":"boom"}}' });
    await failure(s.model.generate(request()));
    const failedAt = Date.now();
    const sent = completionCalls(s);
    // Each keystroke's request replaces the one before, as the completion service does.
    let previous: AbortController | undefined;
    const answers: Array<Promise<{ text: string; finishReason: string }>> = [];
    for (let i = 0; i < 20; i++) {
      previous?.abort();
      previous = new AbortController();
      answers.push(s.model.generate(request(), { signal: previous.signal }));
    }
    const replaced = await Promise.all(answers.slice(0, -1));
    assert.deepEqual(new Set(replaced.map((a) => a.finishReason)), new Set(['cancelled']));
    assert.equal(completionCalls(s), sent, 'typing during the back-off reached the server');
    const last = await answers.at(-1)!;
    assert.equal(last.text, 'ok');
    assert.ok(Date.now() - failedAt >= 950, `the newest request went after ${Date.now() - failedAt} ms, inside the 1 s back-off`);
    assert.equal(completionCalls(s), sent + 1, 'more than one request after the back-off');
    assert.equal(s.events.filter((e) => e.type === 'problem').length, 1, 'one problem, not one per keystroke');
    const ended = s.events.filter((e) => e.type === 'ready' || e.type === 'problem').at(-1);
    assert.equal(ended?.type, 'ready', 'the answer after the problem did not say it was over');
  });

  it('a completion waiting out the back-off gives up when its caller does, and asks nothing', async () => {
    s = await served({ source: scripted(['ok']) });
    s.server.trouble({ kind: 'status', status: 503, body: '' });
    await failure(s.model.generate(request()));
    const sent = completionCalls(s);
    const caller = new AbortController();
    const waiting = s.model.generate(request(), { signal: caller.signal });
    setTimeout(() => caller.abort(), 100);
    const started = Date.now();
    assert.equal((await waiting).finishReason, 'cancelled');
    assert.ok(Date.now() - started < 600, 'it waited on after its caller gave up');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    assert.equal(completionCalls(s), sent);
  });

  it('a new API key lets the next request go at once', async () => {
    s = await served({ source: scripted(['ok']) });
    s.server.trouble({ kind: 'status', status: 401, body: '{"error":"Unauthorized"}' });
    await failure(s.model.generate(request()));
    s.backend.resetBackoff();
    assert.equal((await s.model.generate(request())).text, 'ok');
  });
});

/** Accepts connections and never answers. */
async function silentServer(): Promise<{ server: Server; url: string; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets };
}
