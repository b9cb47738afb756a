// What the machine was doing while the benchmark ran: on shared machines a number means little
// without the load beside it.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface LoadSample {
  at: Date;
  /** 1, 5 and 15 minute load averages, as `uptime` prints them. */
  loadAverage: [number, number, number];
}

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  /** The vector extensions onnxruntime's kernels choose between (AVX-512 and VNNI change int8 speed a lot). */
  simd: string[];
  node: string;
  platform: string;
}

export function sampleLoad(): LoadSample {
  const [one, five, fifteen] = loadavg();
  return { at: new Date(), loadAverage: [one, five, fifteen] };
}

export function machineInfo(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    simd: simdFlags(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

const simdOfInterest = ['avx2', 'fma', 'f16c', 'avx512f', 'avx512_vnni', 'avx512_bf16', 'avx_vnni', 'amx_int8'];

function simdFlags(): string[] {
  try {
    const flags = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1].trim().split(/\s+/) ?? [];
    return simdOfInterest.filter((f) => flags.includes(f));
  } catch {
    return [];
  }
}

export function formatLoad(sample: LoadSample): string {
  return `load average: ${sample.loadAverage.map((l) => l.toFixed(2)).join(', ')}`;
}

/** Resident and peak resident memory of a process in MiB, from /proc (Linux); undefined elsewhere. */
export function processMemoryMiB(pid: number | undefined): { rss: number; peak: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const rss = kib('VmRSS');
    const peak = kib('VmHWM');
    return Number.isFinite(rss) ? { rss: Math.round(rss / 1024), peak: Math.round(peak / 1024) } : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 overall.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    // USER_HZ is 100 on every Linux build Node ships for.
    return Number.isFinite(ticks) ? ticks / 100 : undefined;
  } catch {
    return undefined;
  }
}
