// The bytes of a streamed answer as the network delivers them: cut anywhere, even inside a UTF-8
// character; a body that ends before [DONE] or goes silent is reported, not taken as an answer.
import * as assert from 'node:assert/strict';
import { StreamBroken, streamedJson } from '../../../src/model/server/eventStream';

function body(chunks: Uint8Array[], hang = false): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      if (!hang) controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>, idleMs = 1_000): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const chunk of streamedJson(stream, idleMs)) out.push(chunk);
  return out;
}

const bytes = new TextEncoder().encode('data: {"text":"π ≈ 3.14 ✓"}\r\n\r\ndata: {"text":"漢字"}\r\n\r\ndata: [DONE]\r\n\r\n');

describe('a streamed answer from bytes', () => {
  it('reads the same JSON chunks however the bytes are cut, multi-byte characters included', async () => {
    for (let cut = 1; cut < bytes.length; cut++) {
      const chunks = await collect(body([bytes.slice(0, cut), bytes.slice(cut)]));
      assert.deepEqual(chunks, [{ text: 'π ≈ 3.14 ✓' }, { text: '漢字' }], `cut at byte ${cut}`);
    }
  });

  it('stops at [DONE] even when more follows', async () => {
    const more = new TextEncoder().encode('data: {"a":1}\n\ndata: [DONE]\n\ndata: {"b":2}\n\n');
    assert.deepEqual(await collect(body([more])), [{ a: 1 }]);
  });

  it('a body that ends before [DONE] ends early', async () => {
    const cut = new TextEncoder().encode('data: {"a":1}\n\n');
    await assert.rejects(collect(body([cut])), (e: unknown) => e instanceof StreamBroken && e.failure.kind === 'ended');
  });

  it('a body that goes silent is stalled after the idle limit', async () => {
    const started = Date.now();
    await assert.rejects(collect(body([new TextEncoder().encode('data: {"a":1}\n\n')], true), 100), (e: unknown) => e instanceof StreamBroken && e.failure.kind === 'stalled');
    assert.ok(Date.now() - started < 1_000);
  });

  it('an event whose data is not a JSON object is malformed', async () => {
    for (const data of ['oops', '[1,2]', '"text"']) {
      await assert.rejects(collect(body([new TextEncoder().encode(`data: ${data}\n\n`)])), (e: unknown) => e instanceof StreamBroken && e.failure.kind === 'malformed', data);
    }
  });
});
