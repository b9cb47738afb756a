// The SSE parser as servers and proxies actually send: events cut anywhere (inside a field name, a
// CRLF, a multi-byte character), CR, LF and CRLF line ends, comments, multi-line data, [DONE].
import * as assert from 'node:assert/strict';
import { createSseParser, type SseEvent } from '../../../src/model/server/sseParser';

function parse(chunks: string[]): { events: SseEvent[]; comments: string[] } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const parser = createSseParser({ onEvent: (e) => events.push(e), onComment: (c) => comments.push(c) });
  for (const chunk of chunks) parser.feed(chunk);
  parser.end();
  return { events, comments };
}

/** Every way of cutting `text` in two, and one character at a time. */
function cuts(text: string): string[][] {
  const all = [[text], [...text]];
  for (let i = 1; i < text.length; i++) all.push([text.slice(0, i), text.slice(i)]);
  return all;
}

const openAiStream = [
  'data: {"choices":[{"text":"def"}]}',
  '',
  ': keep-alive',
  'data: {"choices":[{"text":" quick"}]}',
  '',
  'data: {"choices":[{"text":"sort ✓"}]}',
  '',
  'data: [DONE]',
  '',
  '',
].join('\n');

const expected = ['{"choices":[{"text":"def"}]}', '{"choices":[{"text":" quick"}]}', '{"choices":[{"text":"sort ✓"}]}', '[DONE]'];

describe('server-sent events', () => {
  it('gives the same events however the stream is cut (LF line ends)', () => {
    for (const chunks of cuts(openAiStream)) {
      const { events, comments } = parse(chunks);
      assert.deepEqual(events.map((e) => e.data), expected, JSON.stringify(chunks));
      assert.deepEqual(comments, ['keep-alive']);
    }
  });

  it('gives the same events with CRLF line ends, also when a chunk ends between CR and LF', () => {
    const crlf = openAiStream.replace(/\n/g, '\r\n');
    for (const chunks of cuts(crlf)) assert.deepEqual(parse(chunks).events.map((e) => e.data), expected, JSON.stringify(chunks));
  });

  it('gives the same events with bare CR line ends', () => {
    const cr = openAiStream.replace(/\n/g, '\r');
    for (const chunks of cuts(cr)) assert.deepEqual(parse(chunks).events.map((e) => e.data), expected, JSON.stringify(chunks));
  });

  it('joins multi-line data with LF and reads event, id, "data:" without a space and a field with no colon', () => {
    const { events } = parse(['event: error\nid: 7\ndata:first\ndata: second\ndata\n\n']);
    assert.deepEqual(events, [{ event: 'error', id: '7', data: 'first\nsecond\n' }]);
  });

  it('dispatches only at a blank line: a half-sent event at the end is not an event', () => {
    assert.deepEqual(parse(['data: {"choices":[]}\n\ndata: {"cho']).events.map((e) => e.data), ['{"choices":[]}']);
    assert.deepEqual(parse(['data: {"choices":[]}\n\ndata: {"choices":[1]}\n']).events.map((e) => e.data), ['{"choices":[]}'], 'one line end is not a blank line');
  });

  it('ignores a byte-order mark at the start, and events with no data at all', () => {
    assert.deepEqual(parse(['\uFEFFdata: a\n\n', 'event: ping\n\n', 'retry: 1000\n\n']).events.map((e) => e.data), ['a']);
  });

  it('forgets a half-read event on reset', () => {
    const events: SseEvent[] = [];
    const parser = createSseParser({ onEvent: (e) => events.push(e) });
    parser.feed('data: stale');
    parser.reset();
    parser.feed('data: fresh\n\n');
    assert.deepEqual(events.map((e) => e.data), ['fresh']);
  });
});
