// The debug line each generation leaves: enough to tell, for a late ghost text, whether the model
// process computed much of the prompt or the request waited before it got there.
import * as assert from 'node:assert/strict';
import { describeGeneration } from '../../../src/completion/completionService';
import type { GenerationRecord } from '../../../src/completion/generation';

const record = (extra: Partial<GenerationRecord>): GenerationRecord => ({
  startedAt: 1000, firstPieceAt: 1386, decidedAt: undefined, endedAt: 1500, cancelled: undefined, cancelledAt: undefined,
  decidedEarly: false, pieces: 2, piecesAtDecision: undefined,
  result: { text: 'ab', finishReason: 'eos', promptTokens: 229, generatedTokens: 2, timeToFirstTokenMs: 120.4, totalMs: 200, reusedPromptTokens: 189 },
  ...extra,
});

describe('the account of one generation', () => {
  it('names the host\'s wait for the first piece, the model process\'s own, and the prompt tokens computed', () => {
    assert.equal(describeGeneration(record({})), 'generation: first piece after 386 ms (120 in the model process); 40 of 229 prompt tokens computed; eos');
  });

  it('says why it ended when it was cancelled', () => {
    assert.match(describeGeneration(record({ cancelled: 'superseded', cancelledAt: 1450 }))!, /; cancelled \(superseded\)$/);
  });

  it('says how long the model process took to begin it (the generation before it finishing its step)', () => {
    const queued = record({ result: { ...record({}).result!, queuedMs: 150.2 } });
    assert.equal(describeGeneration(queued), 'generation: first piece after 386 ms (120 in the model process, begun 150 after it was sent); 40 of 229 prompt tokens computed; eos');
  });

  it('accounts for one stopped before its first piece: how long it ran and what it computed', () => {
    const stopped = record({ firstPieceAt: undefined, cancelled: 'superseded', cancelledAt: 1100, endedAt: 1180, result: { ...record({}).result!, finishReason: 'cancelled', generatedTokens: 0, totalMs: 95, queuedMs: 60 } });
    assert.equal(describeGeneration(stopped), 'generation: cancelled (superseded) before its first piece, 180 ms after it started (95 in the model process, begun 60 after it was sent); 40 of 229 prompt tokens computed');
  });

  it('is silent for a generation whose engine failed, or that never reached the model', () => {
    assert.equal(describeGeneration(record({ result: undefined })), undefined);
    assert.equal(describeGeneration(record({ firstPieceAt: undefined, cancelled: 'superseded', result: { ...record({}).result!, promptTokens: 0, reusedPromptTokens: 0 } })), undefined);
  });
});
