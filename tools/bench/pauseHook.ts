// The slot for the end-to-end typing benchmark (pause → ghost text through CompletionService,
// against the naive path, in the same run), which is built beside this one. Until it is wired here,
// the quick summary prints `pause_p50_vs_naive=n/a`.
//
// To wire it: make this function run the typing benchmark on `processEntry` with the `kind` test
// model, q8, and return its p50 (pause → shown completion) divided by the naive path's p50, both
// from this run; `progress` takes one line at a time for stderr.

export interface PauseBenchInput {
  processEntry: string;
  kind: string;
  threads: number;
  progress: (line: string) => void;
}

export async function pauseP50VsNaive(_input: PauseBenchInput): Promise<number | undefined> {
  return undefined;
}
