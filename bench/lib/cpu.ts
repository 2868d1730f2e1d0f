// CPU time from /proc (Linux), so a benchmark can say where a machine's cores went during its
// timed window: which processes used them, and how busy the whole machine was.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU seconds a process has used so far; undefined once it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** CPU seconds of each process, by pid (processes already gone are left out). */
export function cpuByPid(pids: readonly number[]): Map<number, number> {
  const result = new Map<number, number>();
  for (const pid of pids) {
    const seconds = processCpuSeconds(pid);
    if (seconds !== undefined) result.set(pid, seconds);
  }
  return result;
}

/** CPU seconds used between two readings by the processes of the second one (new ones count from 0). */
export function cpuUsedBetween(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let used = 0;
  for (const [pid, seconds] of after) used += seconds - (before.get(pid) ?? 0);
  return used;
}

/** The whole machine's CPU seconds so far, over all cores: busy and in total (busy + idle + iowait). */
export function machineCpuSeconds(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy: busy / ticksPerSecond, total: (busy + idle! + iowait!) / ticksPerSecond };
}

/** The pid of the Kafka broker whose data directory is data-<port> (deploy/kafka/kafka.sh), if it runs here. */
export function brokerPid(port: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(join('/proc', entry, 'cmdline'), 'utf8').split('\0').join(' ');
      if (command.includes(' kafka.Kafka ') && command.includes(`data-${port}/`)) return Number(entry);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return undefined;
}

/** Pids pgrep finds with `args` (e.g. ['-x', 'postgres']); none when nothing matches. */
export function pgrep(args: readonly string[]): number[] {
  try {
    return execFileSync('pgrep', [...args], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}
