// Frees each forward pass's dead key/value buffers while they are young. onnxruntime-node returns
// the whole grown cache in new buffers every pass (~12 MB at 490 positions) and the pass before's
// die at once; left to themselves they outlive a scavenge, reach the old generation, and the
// external memory they hold starts a full mark-compact every few passes — a pause that grows with
// everything else on the heap (a real tokenizer's 151k merges about double it). A minor collection right
// after each pass costs under a millisecond and leaves none to do (bench/README.md, "Collecting each pass's garbage").

type Collect = (options: { type: 'minor' }) => void;

/** A minor collection, where the process was started with `--expose-gc`; undefined elsewhere (tests in one process). */
export function youngGenerationCollector(scope: { gc?: unknown } = globalThis as { gc?: unknown }): (() => void) | undefined {
  const gc = scope.gc;
  if (typeof gc !== 'function') return undefined;
  return () => (gc as Collect)({ type: 'minor' });
}
