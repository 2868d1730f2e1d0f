// What bench:scale-out's runs say about where adding consumer instances stops paying on the
// machine they ran on: where the cores went over each timed window, and what one event cost.
import type { ScaleOutRun } from './lag-chart';
import { median } from './result';

/** One paragraph for BENCHMARKS.md, from the runs alone (medians per instance count). */
export function boundNote(results: readonly ScaleOutRun[], cores: number): string {
  const counts = [...new Set(results.map((r) => r.instances))].sort((a, b) => a - b);
  const med = (k: number, pick: (r: ScaleOutRun) => number) => round(median(results.filter((r) => r.instances === k).map(pick)));
  // CPU milliseconds one event cost in the consumers and in PostgreSQL: cores busy / events per second.
  const consumerMs = (k: number) => med(k, (r) => (r.cpu.consumers / r.eventsPerSecond) * 1000);
  const postgresMs = (k: number) => med(k, (r) => (r.cpu.postgres / r.eventsPerSecond) * 1000);
  const ours = (k: number) => med(k, (r) => r.cpu.consumers + r.cpu.postgres + r.cpu.broker);
  const split = counts.map((k) => {
    const machine = med(k, (r) => r.cpu.machine);
    return (
      `${k} instance${k > 1 ? 's' : ''}: ${machine} of ${cores} cores busy - consumers ${med(k, (r) => r.cpu.consumers)}, their PostgreSQL backends ${med(k, (r) => r.cpu.postgres)}, ` +
      `broker ${med(k, (r) => r.cpu.broker)}, everything else (this benchmark's sampling, PostgreSQL's background writers, other work on the machine) ${round(machine - ours(k))}; ` +
      `per event ${consumerMs(k)} ms of consumer CPU and ${postgresMs(k)} ms of PostgreSQL CPU; ${Math.round(med(k, (r) => r.commitsPerSecond))} commits/s, ` +
      `${med(k, (r) => r.eventsPerSecond / Math.max(1, r.commitsPerSecond))} events per commit`
    );
  });
  const [first, top] = [counts[0]!, counts[counts.length - 1]!];
  const busy = med(top, (r) => r.cpu.machine);
  const saturated = busy >= cores * 0.85;
  const heavier = consumerMs(first) >= postgresMs(first) ? `the consumers' own JavaScript (contract checks, TypeORM and the view projection's queries; not profiled further here)` : 'PostgreSQL';
  const perEventOverFirst = (k: number) => consumerMs(k) / consumerMs(first);
  const dearer = counts.filter((k) => k > first && perEventOverFirst(k) > 1.15);
  const sentences = [
    `Where it stops scaling, CPU over each timed window in cores (CPU seconds / window seconds, medians): ${split.join('; ')}.`,
    saturated
      ? `The machine's ${cores} cores were busy throughout (${busy} with ${top} instances): the bound is CPU, and most of an event's cost is ${heavier}, not the database's commits (chunks of up to 100 messages per transaction: ~${med(first, (r) => r.eventsPerSecond / Math.max(1, r.commitsPerSecond))} events per commit with ${first} instance).`
      : `The machine was not saturated (${busy} of ${cores} cores busy with ${top} instances).`,
    `Of those cores this workload (consumers, their backends, the broker) had ${counts.map((k) => `${ours(k)} with ${k}`).join(', ')}; the rest went to other work.`,
    dearer.length > 0
      ? `An event costs more consumer CPU the more instances share the machine (${counts.map((k) => `${consumerMs(k)} ms with ${k}`).join(', ')}): probably because each process pays its own fixed costs (kafkajs fetch and heartbeat loops, its own garbage collection, V8 optimising its own copy of the code; not isolated here). Either way, once the CPU is the limit, instances beyond the cores free for them make the group slower, not faster.`
      : '',
    saturated
      ? `A single instance is one thread: a second adds at most one more core. An estimate, not a measurement: with the whole ${cores}-core machine to itself this workload would top out near ${Math.round(cores / ((consumerMs(first) + postgresMs(first)) / 1000))} events/s (${cores} cores / ${round(consumerMs(first) + postgresMs(first))} ms of consumer and PostgreSQL CPU per event with ${first} instance, the broker left out); more throughput takes more cores or machines, not more instances here.`
      : '',
  ];
  return sentences.filter(Boolean).join(' ');
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
