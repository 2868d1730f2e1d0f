/**
 * Benchmark 5: disclosure's view projection with 1, 2 and 4 consumer instances on 12 partitions.
 *
 * N valid roster and consent messages (libs/contracts payloads, keyed by student as the relays key
 * them) are produced once to two fresh 12-partition topics. Each run starts k separate processes
 * of the product's consumer (bench/lib/scale-out-worker.ts: ProjectionConsumer + ViewProjection)
 * in a fresh consumer group (KAFKA_GROUP_SUFFIX) against a fresh read-model database; once all k
 * are warm they are told to start at the same moment (SIGUSR2). The group's total lag is sampled
 * every 250 ms until it is 0 (the lag-over-time chart). The clock starts when the broker reports
 * the group Stable with k members (events already committed then are not counted) and stops at
 * lag 0. Then the broker's view is checked (members = k, committed = high-water) and the database
 * must hold exactly N processed-event markers: every message applied once. CPU time of the
 * consumers, of their PostgreSQL backends, of the broker and of the whole machine is read from
 * /proc over the same window, with the database's commits, to show where it stops scaling.
 * Instance counts are interleaved over the runs (1, 2, 4; then 2, 4, 1; ...).
 *
 *   npm run bench:scale-out          (BENCH_QUICK=1 for a smoke run)
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import type { Message } from 'kafkajs';
import { Client } from 'pg';
import {
  ConsentGrantedV1,
  ConsentPausedV1,
  ConsentResumedV1,
  ConsentWithdrawnV1,
  ContractRegistry,
  GuardianLinkedV1,
  MessageHeaders,
  ProfessionalAssignedV1,
  SchoolRegisteredV1,
  SchoolServiceDeclaredV1,
  StudentCapacityRecordedV1,
  StudentEnrolledV1,
  WelfareAccessChangedV1,
  consentContracts,
  rosterContracts,
  type IntegrationEventContract,
} from '@silta/contracts';
import { createTestDatabase, killTestProcesses, serviceKafkaEnv, startTsProcess, type TestProcess } from '@silta/testing';
import { VIEW_CONSUMER_GROUP } from '../apps/disclosure/src/view/view.constants';
import { brokerPid, cpuByPid, cpuUsedBetween, machineCpuSeconds } from './lib/cpu';
import { ensureBroker, isQuick, sized } from './lib/infra';
import { benchKafka, deleteTopics, freshTopic, groupView, messagesOn, withAdmin, type GroupView } from './lib/kafka-bench';
import { machineInfo, median, metric, writeResult } from './lib/result';
import { viewDataSource } from './lib/scale-out-worker';
import type { ScaleOutRun } from './lib/lag-chart';
import { boundNote } from './lib/scale-out-bound';

// 2,000 students (~16,000 events) keep 4 instances busy for several seconds.
const STUDENTS = sized(2_000, 25);
const INSTANCES = sized([1, 2, 4], [1, 2]);
const RUNS = sized(3, 1);
const PARTITIONS = 12;
const SAMPLE_MS = 250;
const WORKER = 'bench/lib/scale-out-worker.ts';
const DRAIN_TIMEOUT_MS = sized(300_000, 40_000);

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadAtStart = loadavg()[0]!;
  const brokers = await ensureBroker();
  const kafka = benchKafka(brokers, 'silta-bench-scale-out');
  const rosterTopic = await freshTopic(kafka, 'scale-roster', PARTITIONS);
  const consentTopic = await freshTopic(kafka, 'scale-consent', PARTITIONS);
  const topics = [rosterTopic, consentTopic];
  try {
    const total = await produce(kafka, rosterTopic, consentTopic);
    const results: ScaleOutRun[] = [];
    for (let run = 0; run < RUNS; run++) {
      // Each run starts with the next instance count, so none always runs first on a fresh broker.
      const order = INSTANCES.map((_, i) => INSTANCES[(i + run) % INSTANCES.length]!);
      for (const instances of order) {
        const result = await measure(kafka, brokers, topics, instances, total, run + 1);
        results.push(result);
        process.stderr.write(
          `run ${run + 1}/${RUNS}, ${instances} instance(s): ${Math.round(result.eventsPerSecond)} events/s over ${result.counted} events ` +
            `(group stable ${result.stableAfterSeconds.toFixed(1)} s after the start signal, drained after ${result.drainedAfterSeconds.toFixed(1)} s; ` +
            `cores busy: consumers ${result.cpu.consumers}, PostgreSQL ${result.cpu.postgres}, broker ${result.cpu.broker}, machine ${result.cpu.machine} of ${result.cpu.cores})\n`,
        );
      }
    }

    const runsOf = (k: number) => results.filter((r) => r.instances === k);
    const ratesFor = (k: number) => runsOf(k).map((r) => Math.round(r.eventsPerSecond));
    const single = ratesFor(1);
    const metrics = INSTANCES.flatMap((k) => {
      const label = `${k} instance${k > 1 ? 's' : ''}`;
      return [
        metric(`view projection, ${label}`, 'events/s', ratesFor(k), k === 1 ? {} : { baseline: { name: '1 instance', runs: single } }),
        metric(`${label}: cores busy in consumers`, 'cores', runsOf(k).map((r) => r.cpu.consumers)),
        metric(`${label}: cores busy in PostgreSQL backends`, 'cores', runsOf(k).map((r) => r.cpu.postgres)),
        metric(`${label}: cores busy on the whole machine`, 'cores', runsOf(k).map((r) => r.cpu.machine)),
        metric(`${label}: PostgreSQL commits`, 'commits/s', runsOf(k).map((r) => r.commitsPerSecond)),
      ];
    });
    const speedUp = (k: number) => (median(ratesFor(k)) / median(single)).toFixed(2);
    const cores = machineInfo().cores;
    const loadAtEnd = loadavg()[0]!;
    const file = writeResult({
      name: 'scale-out',
      title: 'Consumer scale-out: disclosure view projection with 1, 2 and 4 instances',
      command: 'npm run bench:scale-out',
      startedAt: startedAt.toISOString(),
      machine: machineInfo(),
      parameters: {
        quick: isQuick(),
        events: total,
        students: STUDENTS,
        topics: `2 topics (roster, consent) x ${PARTITIONS} partitions`,
        instances: INSTANCES,
        runs: RUNS,
        consumer: 'ProjectionConsumer + ViewProjection per process, chunks of up to 100 messages per transaction (commitEvery 100), heartbeat every 500 ms',
        lagSampledEveryMs: SAMPLE_MS,
        loadAverage: `${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end (1-minute, ${cores} cores; other processes on the machine count)`,
        results,
      },
      metrics,
      notes: [
        `Each run: k separate consumer processes in a fresh group over the same ${total} pre-produced messages, a fresh read-model database; the k processes are started, and once all are warm told to consume at the same moment. Throughput counts only the events committed after the broker reported the group Stable with k members, until lag 0. Checked per run: describeGroups members = k, committed offsets = high-water marks, ${total} processed-event markers in the database. Runs interleave the instance counts.`,
        `Speed-up over 1 instance (median, same run): ${INSTANCES.filter((k) => k > 1).map((k) => `${k} instances ${speedUp(k)}x`).join(', ')}.`,
        boundNote(results, cores),
        ...(isQuick() ? ['BENCH_QUICK=1: a smoke run, sizes shrunk; the figures mean nothing.'] : []),
      ],
    });
    process.stdout.write(`${file}\n`);
  } finally {
    await killTestProcesses();
    await deleteTopics(kafka, topics);
  }
}

async function measure(
  kafka: ReturnType<typeof benchKafka>,
  brokers: string,
  topics: readonly string[],
  instances: number,
  total: number,
  run: number,
): Promise<ScaleOutRun> {
  const database = await createTestDatabase('silta_bench_scale');
  const suffix = `-bench-${randomUUID().slice(0, 8)}`;
  const groupId = `${VIEW_CONSUMER_GROUP}${suffix}`;
  // The schema first, once: several instances synchronising an empty database at once would race.
  const schema = viewDataSource(database.url);
  await schema.initialize();
  await schema.destroy();
  const workers: TestProcess[] = [];
  const stats = new Client({ connectionString: database.url });
  await stats.connect();
  try {
    return await withAdmin(kafka, async (admin) => {
      // The topics are the benchmark's own, which no service's principal may read: `admin`.
      const env = { DATABASE_URL: database.url, ...serviceKafkaEnv('admin'), KAFKA_BROKERS: brokers, TOPICS: topics.join(','), KAFKA_GROUP_SUFFIX: suffix };
      const spawned = process.hrtime.bigint();
      for (let i = 0; i < instances; i++) workers.push(startTsProcess(WORKER, env));
      await Promise.all(workers.map((w) => w.ready));
      const warmSeconds = Number(process.hrtime.bigint() - spawned) / 1e9;
      const deadline = Date.now() + DRAIN_TIMEOUT_MS;
      const failIfLate = (what: string) => {
        if (Date.now() > deadline) throw new Error(`${instances} instance(s): ${what}\n${workers.map((w) => w.output().slice(-1500)).join('\n---\n')}`);
      };

      const go = process.hrtime.bigint();
      for (const worker of workers) worker.child.kill('SIGUSR2');
      const since = () => round(Number(process.hrtime.bigint() - go) / 1e9);
      const lag: Array<[number, number]> = [];
      const sample = async (): Promise<GroupView> => {
        const view = await groupView(admin, groupId, topics);
        lag.push([since(), view.lag]);
        return view;
      };
      const nextSample = async (): Promise<GroupView> => {
        await sleep(SAMPLE_MS - ((Number(process.hrtime.bigint() - go) / 1e6) % SAMPLE_MS));
        return sample();
      };

      let view = await sample();
      while (!(view.state === 'Stable' && view.members === instances)) {
        failIfLate(`group never became Stable with ${instances} members (last: ${view.state}, ${view.members})`);
        view = await nextSample();
      }
      const stable = process.hrtime.bigint();
      const committedAtStart = view.committed;
      const before = await usage(stats, database.name, workers);
      while (view.lag > 0 || view.committed < total) {
        failIfLate(`lag not drained: ${view.committed} of ${total} committed`);
        view = await nextSample();
      }
      const drained = process.hrtime.bigint();
      const after = await usage(stats, database.name, workers);
      const broker = view;
      if (broker.members !== instances || broker.committed !== broker.highWater || broker.highWater !== total) {
        throw new Error(`broker view after draining: ${JSON.stringify(broker)}; expected ${instances} members and ${total} committed`);
      }
      const processedMarkers = await countMarkers(stats, groupId);
      if (processedMarkers !== total) throw new Error(`${processedMarkers} processed-event markers, expected ${total}`);
      const windowSeconds = Number(drained - stable) / 1e9;
      const counted = total - committedAtStart;
      const cores = (seconds: number) => round(seconds / windowSeconds);
      return {
        run,
        instances,
        eventsPerSecond: counted / windowSeconds,
        counted,
        windowSeconds: round(windowSeconds),
        warmSeconds: round(warmSeconds),
        stableAfterSeconds: round(Number(stable - go) / 1e9),
        drainedAfterSeconds: round(Number(drained - go) / 1e9),
        cpu: {
          consumers: cores(cpuUsedBetween(before.consumers, after.consumers)),
          postgres: cores(cpuUsedBetween(before.postgres, after.postgres)),
          broker: cores(cpuUsedBetween(before.broker, after.broker)),
          machine: cores(after.machine.busy - before.machine.busy),
          cores: round((after.machine.total - before.machine.total) / windowSeconds),
        },
        commitsPerSecond: Math.round((after.commits - before.commits) / windowSeconds),
        broker,
        processedMarkers,
        lag,
      };
    });
  } finally {
    await stats.end();
    for (const worker of workers) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => Promise.race([w.exited, sleep(10_000)])));
    await killTestProcesses();
    await database.drop();
  }
}

/** CPU seconds so far of the consumers, their database's backends, the broker and the machine; the database's commits. */
async function usage(stats: Client, databaseName: string, workers: readonly TestProcess[]) {
  const { rows } = await stats.query(
    `SELECT (SELECT array_agg(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()) AS pids,
            (SELECT xact_commit FROM pg_stat_database WHERE datname = $1)::bigint AS commits`,
    [databaseName],
  );
  const broker = brokerPid(process.env.KAFKA_PORT || '9092');
  return {
    consumers: cpuByPid(workers.map((w) => w.child.pid!)),
    postgres: cpuByPid((rows[0].pids as number[] | null) ?? []),
    broker: cpuByPid(broker ? [broker] : []),
    machine: machineCpuSeconds(),
    commits: Number(rows[0].commits),
  };
}

async function countMarkers(client: Client, groupId: string): Promise<number> {
  const { rows } = await client.query(`SELECT count(*)::int AS n FROM silta_processed_events WHERE consumer = $1`, [groupId]);
  return rows[0].n as number;
}

/**
 * Per student, what roster and consent publish over a school year: enrolment, a guardian link,
 * welfare access, capacity; a consent granted, paused, resumed and withdrawn. Plus each school and
 * a curator assigned to it. Every payload is validated against its contract before it is sent.
 */
async function produce(kafka: ReturnType<typeof benchKafka>, rosterTopic: string, consentTopic: string): Promise<number> {
  const registry = new ContractRegistry([...rosterContracts, ...consentContracts]);
  const roster: Message[] = [];
  const consent: Message[] = [];
  let n = 0;
  const add = <P>(target: Message[], contract: IntegrationEventContract<string, P>, payload: P) => {
    const checked = registry.validate(contract.type, contract.schemaVersion, payload);
    if (!checked.ok) throw new Error(checked.error);
    const at = new Date(Date.UTC(2025, 0, 1) + n++ * 1000).toISOString();
    target.push({
      key: contract.key(payload),
      value: JSON.stringify(payload),
      headers: {
        [MessageHeaders.eventId]: randomUUID(),
        [MessageHeaders.eventType]: contract.type,
        [MessageHeaders.schemaVersion]: String(contract.schemaVersion),
        [MessageHeaders.occurredAt]: at,
      },
    });
  };
  const schools = 20;
  for (let s = 0; s < schools; s++) {
    add(roster, SchoolRegisteredV1, { schoolId: `school-${s}`, municipalityId: 'municipality-bench' });
    add(roster, SchoolServiceDeclaredV1, { schoolId: `school-${s}`, municipalityId: 'municipality-bench', welfareAreaId: 'welfare-bench', declaredAt: '2025-01-01T00:00:00.000Z' });
    add(roster, ProfessionalAssignedV1, { assignmentId: `assignment-${s}`, professionalId: `curator-${s}`, role: 'curator', welfareAreaId: 'welfare-bench', schoolId: `school-${s}`, validFrom: '2025-01-01' });
  }
  const at = (day: number) => new Date(Date.UTC(2025, 0, 1 + day)).toISOString();
  for (let i = 0; i < STUDENTS; i++) {
    const studentId = `student-${i}`;
    const guardianId = `guardian-${i}`;
    const consentId = `consent-${i}`;
    add(roster, StudentEnrolledV1, { studentId, schoolId: `school-${i % schools}`, enrolledAt: at(0) });
    add(roster, GuardianLinkedV1, { studentId, guardianId, linkedAt: at(1) });
    add(roster, WelfareAccessChangedV1, { studentId, active: true, changedAt: at(2) });
    add(roster, StudentCapacityRecordedV1, { studentId, decidesForSelf: i % 7 === 0, recordedAt: at(3) });
    add(consent, ConsentGrantedV1, {
      consentId,
      version: 1,
      studentId,
      grantedBy: { kind: 'guardian', id: guardianId },
      categories: ['absences', 'grades'],
      recipient: { welfareAreaId: 'welfare-bench', roles: ['curator'] },
      purpose: 'student welfare support',
      validFrom: at(4),
      grantedAt: at(4),
    });
    add(consent, ConsentPausedV1, { consentId, version: 1, studentId, at: at(5) });
    add(consent, ConsentResumedV1, { consentId, version: 1, studentId, at: at(6) });
    add(consent, ConsentWithdrawnV1, { consentId, version: 1, studentId, at: at(7) });
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (const [topic, messages] of [[rosterTopic, roster], [consentTopic, consent]] as const) {
      for (let i = 0; i < messages.length; i += 1_000) await producer.send({ topic, messages: messages.slice(i, i + 1_000), acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
  const onTopics = (await messagesOn(kafka, rosterTopic)) + (await messagesOn(kafka, consentTopic));
  if (onTopics !== roster.length + consent.length) throw new Error(`produced ${roster.length + consent.length}, topics hold ${onTopics}`);
  return onTopics;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench scale-out failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
