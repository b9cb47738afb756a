// onnxruntime's own profiler (session option enableProfiling): per operator type, how much of a
// forward pass its kernels took, from the JSON trace the session writes when profiling ends.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

interface TraceEvent {
  cat: string;
  name: string;
  ts: number;
  dur: number;
  args?: { op_name?: string };
}

export interface OpShare {
  op: string;
  /** Kernel time per forward pass, ms. */
  msPerRun: number;
  share: number;
}

export interface OpProfile {
  runs: number;
  /** onnxruntime's own time per pass (model_run), ms. */
  msPerRun: number;
  /** The kernels' sum per pass, ms; the rest of msPerRun is the executor's own work. */
  kernelMsPerRun: number;
  ops: OpShare[];
}

/** The newest trace written under `prefix` (onnxruntime appends a timestamp), read and deleted. */
export function takeTrace(prefix: string): TraceEvent[] {
  const dir = dirname(prefix);
  const name = basename(prefix);
  const files = readdirSync(dir).filter((f) => f.startsWith(name) && f.endsWith('.json')).sort();
  const newest = files[files.length - 1];
  if (!newest) throw new Error(`onnxruntime wrote no profile under ${prefix}`);
  const events = JSON.parse(readFileSync(join(dir, newest), 'utf8')) as TraceEvent[];
  for (const f of files) rmSync(join(dir, f), { force: true });
  return events;
}

/** Per-operator kernel time over the passes picked by `keep` (their index among all passes). */
export function summarizeTrace(events: readonly TraceEvent[], keep: (runIndex: number) => boolean): OpProfile {
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  const kept = runs.filter((_, i) => keep(i));
  const byOp = new Map<string, number>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    if (!kept.some((r) => e.ts >= r.ts && e.ts <= r.ts + r.dur)) continue;
    const op = e.args?.op_name ?? '?';
    byOp.set(op, (byOp.get(op) ?? 0) + e.dur);
  }
  const n = Math.max(kept.length, 1);
  const kernelUs = [...byOp.values()].reduce((a, b) => a + b, 0);
  const ops = [...byOp].map(([op, us]) => ({ op, msPerRun: us / n / 1000, share: kernelUs > 0 ? us / kernelUs : 0 })).sort((a, b) => b.msPerRun - a.msPerRun);
  return { runs: kept.length, msPerRun: kept.reduce((a, r) => a + r.dur, 0) / n / 1000, kernelMsPerRun: kernelUs / n / 1000, ops };
}
