// CPU pinning for a benchmark round (taskset): the load generator on one core, the stack under test
// on the other, so that autocannon stops taking the cores the apps, PostgreSQL and Kafka need.
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { pgrep } from './cpu';

/** What a pinned round runs where: the bench process (autocannon) and everything it measures. */
export interface Pinning {
  readonly loadCore: number;
  readonly stackCore: number;
}

/**
 * Pins this process (autocannon runs in it) to `loadCore` and the given processes, every
 * PostgreSQL process and every Kafka broker on the machine to `stackCore`, all threads of each;
 * the returned function gives them every core back. A PostgreSQL backend forked while pinned
 * inherits the postmaster's core, so connections opened during the round are pinned too.
 * Null when the machine has fewer than two cores or no taskset.
 */
export function pinRound(stackPids: readonly number[]): { pinning: Pinning; release(): void } | null {
  const cores = cpus().length;
  if (cores < 2 || !hasTaskset()) return null;
  const pinning: Pinning = { loadCore: 0, stackCore: 1 };
  const stack = [...stackPids, ...pidsOf('postgres'), ...kafkaPids()];
  setAffinity([process.pid], String(pinning.loadCore));
  setAffinity(stack, String(pinning.stackCore));
  const all = `0-${cores - 1}`;
  return {
    pinning,
    release: () => {
      setAffinity([process.pid], all);
      // Processes that ended meanwhile (backends, a restarted app) are skipped by setAffinity.
      setAffinity([...stackPids, ...pidsOf('postgres'), ...kafkaPids()], all);
    },
  };
}

function setAffinity(pids: readonly number[], cpuList: string): void {
  for (const pid of new Set(pids)) {
    try {
      execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpuList, String(pid)], { stdio: 'ignore' });
    } catch {
      // The process ended between listing and pinning.
    }
  }
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Pids of processes whose command name is exactly `name`. */
function pidsOf(name: string): number[] {
  return pgrep(['-x', name]);
}

/** Pids of the Kafka brokers (java running kafka.Kafka). */
function kafkaPids(): number[] {
  return pgrep(['-f', 'kafka\\.Kafka ']);
}
