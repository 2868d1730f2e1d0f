// Where a workload's CPU went, by process group: each app, PostgreSQL (every server process), the
// Kafka broker and this process (the load generator), read from /proc before and after the run.
import { brokerPid, cpuByPid, cpuUsedBetween, machineCpuSeconds, pgrep } from './cpu';

/** The processes of one group, found again at each reading (PostgreSQL backends come and go). */
export type ProcessGroups = Record<string, () => readonly number[]>;

export interface CpuSplit {
  /** CPU seconds each group used during the window. */
  readonly seconds: Record<string, number>;
  /** The whole machine's busy CPU seconds and its capacity (cores x wall seconds) in the window. */
  readonly machineBusy: number;
  readonly machineTotal: number;
}

/** Takes a reading now; `end()` takes the second and answers the split. */
export function startCpuSplit(groups: ProcessGroups): { end(): CpuSplit } {
  const read = () => Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, cpuByPid(pids())]));
  const before = read();
  const machineBefore = machineCpuSeconds();
  return {
    end: () => {
      const after = read();
      const machineAfter = machineCpuSeconds();
      const seconds = Object.fromEntries(Object.keys(groups).map((name) => [name, cpuUsedBetween(before[name]!, after[name]!)]));
      return { seconds, machineBusy: machineAfter.busy - machineBefore.busy, machineTotal: machineAfter.total - machineBefore.total };
    },
  };
}

/** The groups of a bench stack: its apps by pid, every PostgreSQL process, the broker on `kafkaPort`, this process. */
export function stackGroups(apps: Record<string, number>, kafkaPort: string): ProcessGroups {
  return {
    ...Object.fromEntries(Object.entries(apps).map(([name, pid]) => [name, () => [pid]])),
    PostgreSQL: () => pgrep(['-x', 'postgres']),
    Kafka: () => {
      const pid = brokerPid(kafkaPort);
      return pid === undefined ? [] : [pid];
    },
    'load generator (autocannon, this process)': () => [process.pid],
  };
}

/** Milliseconds of CPU per operation for each group, summed over several windows, as one line. */
export function describePerOperation(splits: readonly CpuSplit[], operations: number): string {
  const total = (pick: (s: CpuSplit) => number) => splits.reduce((sum, s) => sum + pick(s), 0);
  const names = Object.keys(splits[0]?.seconds ?? {});
  const perGroup = names.map((name) => `${name} ${((1000 * total((s) => s.seconds[name] ?? 0)) / operations).toFixed(2)}`);
  const busy = total((s) => s.machineBusy);
  const capacity = total((s) => s.machineTotal);
  return `${perGroup.join(', ')}; the whole machine ${((1000 * busy) / operations).toFixed(2)} ms per decision, busy ${((100 * busy) / capacity).toFixed(0)} % of its cores`;
}
