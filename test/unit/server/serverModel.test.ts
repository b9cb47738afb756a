// A served model as the pipelines use it: the text streams in piece by piece, stop strings end it
// before the server does, an abort (a keystroke, an early stop) closes the HTTP request, a newer
// request ends the older one, and every request names Inkling and carries the API key.
import * as assert from 'node:assert/strict';
import type { GenerateRequest } from '../../../src/model/protocol';
import { greedy, scripted, served, until, type Served } from './serverSupport';

const request = (prompt: string, extra: Partial<GenerateRequest> = {}): GenerateRequest => ({ prompt, sampling: greedy, stop: [], ...extra });

describe('a model on an inference server', function () {
  this.timeout(20_000);
  let s: Served | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('streams each piece as it arrives, and the whole text in the result', async () => {
    s = await served({ source: scripted(['if ', 'len(arr)', ' <= 1:']) });
    const pieces: string[] = [];
    const result = await s.model.generate(request('<|fim_prefix|>def f(arr):\n    <|fim_suffix|><|fim_middle|>'), { onToken: (t) => pieces.push(t) });
    assert.deepEqual(pieces, ['if ', 'len(arr)', ' <= 1:']);
    assert.equal(result.text, 'if len(arr) <= 1:');
    assert.equal(result.finishReason, 'eos');
    assert.equal(result.generatedTokens, 3);
    assert.equal(s.server.open, 0);
  });

  it('cuts at a stop string split over pieces, ends the request, and reports finishReason stop', async () => {
    s = await served({ source: scripted(['return a', '\n', '\n', '\nnever', ' this']), pieceDelayMs: 30 });
    const result = await s.model.generate(request('p', { stop: ['\n\n\n'] }));
    assert.equal(result.text, 'return a');
    assert.equal(result.finishReason, 'stop');
    await until(() => s!.server.open === 0, 2_000);
  });

  it('an aborted signal resolves with the text so far (cancelled) and closes the HTTP request', async () => {
    s = await served({ source: scripted(Array.from({ length: 200 }, (_, i) => `${i} `)), pieceDelayMs: 20 });
    const controller = new AbortController();
    const pieces: string[] = [];
    const pending = s.model.generate(request('p'), { signal: controller.signal, onToken: (t) => pieces.push(t) });
    await until(() => pieces.length >= 3, 5_000);
    controller.abort();
    const result = await pending;
    assert.equal(result.finishReason, 'cancelled');
    assert.ok(result.text.startsWith('0 1 2 '), result.text);
    await until(() => s!.server.open === 0, 2_000);
  });

  it('a new request ends the one still running: never two open at once', async () => {
    s = await served({ source: scripted(Array.from({ length: 100 }, (_, i) => `${i} `)), pieceDelayMs: 20 });
    const first = s.model.generate(request('one'));
    await until(() => s!.server.open === 1, 5_000);
    const second = s.model.generate(request('two'));
    assert.equal((await first).finishReason, 'cancelled');
    await until(() => s!.server.open === 1 && s!.server.requests.filter((r) => r.path === '/v1/completions').length === 2, 5_000);
    s.model.dispose();
    assert.equal((await second).finishReason, 'cancelled');
    assert.equal(s.server.mostOpen, 1);
  });

  it('sends a User-Agent naming Inkling and the API key as a bearer token', async () => {
    s = await served({ apiKey: 'sk-team-42', source: scripted(['ok']) });
    await s.model.generate(request('p'));
    const sent = s.server.requests.find((r) => r.path === '/v1/completions');
    assert.equal(sent?.headers['user-agent'], 'Inkling/test');
    assert.equal(sent?.headers.authorization, 'Bearer sk-team-42');
  });

  it('sends a conversation to /v1/chat/completions and streams the delta contents', async () => {
    s = await served({ name: 'qwen2.5-coder-7b-instruct', role: 'explain', source: scripted(['This ', 'sorts.']) });
    const pieces: string[] = [];
    const result = await s.model.generateChat([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Explain x' }], { sampling: greedy, stop: [] }, { onToken: (t) => pieces.push(t) });
    assert.deepEqual(pieces, ['This ', 'sorts.']);
    assert.equal(result.text, 'This sorts.');
    const body = s.server.requests.find((r) => r.path === '/v1/chat/completions')?.body;
    assert.deepEqual(body?.messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Explain x' }]);
  });

  it('reads CRLF line ends, keep-alive comments and a base URL given with /v1', async () => {
    s = await served({ lineEnd: '\r\n', source: scripted(['a', 'b', 'c']) });
    const other = await served({ source: scripted(['z']) });
    try {
      assert.equal((await s.model.generate(request('p'))).text, 'abc');
      const viaV1 = await other.backend.acquire('explain', { url: `${other.server.url}/v1/`, model: 'qwen2.5-coder-1.5b', promptTemplate: 'auto' });
      assert.equal((await viaV1.generate(request('p'))).text, 'z');
      assert.ok(other.server.requests.some((r) => r.path === '/v1/completions'));
    } finally {
      await other.close();
    }
  });
});
