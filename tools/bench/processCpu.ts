// Where the CPU goes while VS Code and Inkling work: every process this benchmark started (code-server,
// its extension host, language servers, Inkling's model process, chromium), grouped by role, with the
// CPU seconds each group used (Linux /proc; elsewhere nothing is reported).
import { readdirSync, readFileSync } from 'node:fs';

export type ProcessRole = 'model process' | 'TypeScript server' | 'extension host' | 'code-server' | 'chromium renderer' | 'chromium, other' | 'other';

export const ROLES: readonly ProcessRole[] = ['model process', 'extension host', 'TypeScript server', 'code-server', 'chromium renderer', 'chromium, other', 'other'];

interface ProcessStat {
  pid: number;
  ppid: number;
  cpuSeconds: number;
  cmdline: string;
}

function readStat(pid: number): ProcessStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    // After the command name: state, ppid, …; utime and stime are the 12th and 13th from there (USER_HZ = 100).
    return { pid, ppid: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100, cmdline };
  } catch {
    return undefined;
  }
}

export function roleOf(cmdline: string): ProcessRole {
  if (cmdline.includes('modelProcess.js')) return 'model process';
  if (cmdline.includes('tsserver') || cmdline.includes('typingsInstaller')) return 'TypeScript server';
  if (cmdline.includes('--type=extensionHost')) return 'extension host';
  if (cmdline.includes('chromium') || cmdline.includes('chrome')) return cmdline.includes('--type=renderer') ? 'chromium renderer' : 'chromium, other';
  if (cmdline.includes('code-server')) return 'code-server';
  return 'other';
}

/** CPU seconds per role over the descendants of `root` (this process by default), alive now. */
export function cpuByRole(root: number = process.pid): Record<ProcessRole, number> {
  const stats: ProcessStat[] = [];
  for (const name of readdirSafe('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (stat) stats.push(stat);
  }
  const children = new Map<number, ProcessStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const totals = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<ProcessRole, number>;
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      totals[roleOf(child.cmdline)] += child.cpuSeconds;
      walk(child.pid);
    }
  };
  walk(root);
  return totals;
}

export function cpuDelta(before: Record<ProcessRole, number>, after: Record<ProcessRole, number>): Record<ProcessRole, number> {
  return Object.fromEntries(ROLES.map((r) => [r, Math.max(0, after[r] - before[r])])) as Record<ProcessRole, number>;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
