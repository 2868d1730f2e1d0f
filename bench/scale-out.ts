/**
 * Benchmark 5: disclosure's view projection with 1, 2 and 4 consumer instances.
 *
 * N valid roster and consent messages (libs/contracts payloads, keyed by student as the relays key
 * them) are produced once to two fresh 6-partition topics. Each run starts k separate processes
 * of the product's consumer (bench/lib/scale-out-worker.ts: ProjectionConsumer + ViewProjection)
 * in a fresh consumer group (KAFKA_GROUP_SUFFIX) against a fresh read-model database. The clock
 * starts when the broker reports the group Stable with k members (events already committed then
 * are not counted) and stops when its committed offsets reach the high-water marks (lag 0). Then
 * the broker's view is checked (members = k, committed = high-water) and the database must hold
 * exactly N processed-event markers: every message applied once.
 *
 *   npm run bench:scale-out          (BENCH_QUICK=1 for a smoke run)
 */
import { randomUUID } from 'node:crypto';
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
import { ensureBroker, isQuick, sized } from './lib/infra';
import { benchKafka, deleteTopics, freshTopic, groupView, messagesOn, withAdmin, type GroupView } from './lib/kafka-bench';
import { machineInfo, median, metric, writeResult } from './lib/result';
import { viewDataSource } from './lib/scale-out-worker';

// 500 students (~4,000 events) keep the nine timed drains of a full run near three minutes.
const STUDENTS = sized(500, 100);
const INSTANCES = sized([1, 2, 4], [1, 2]);
const RUNS = sized(3, 1);
const PARTITIONS = 6;
const WORKER = 'bench/lib/scale-out-worker.ts';
const DRAIN_TIMEOUT_MS = sized(300_000, 40_000);

interface RunResult {
  readonly instances: number;
  readonly eventsPerSecond: number;
  readonly counted: number;
  readonly windowSeconds: number;
  readonly secondsFromSpawn: number;
  readonly stableAfterSeconds: number;
  readonly broker: GroupView;
  readonly processedMarkers: number;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const brokers = await ensureBroker();
  const kafka = benchKafka(brokers, 'silta-bench-scale-out');
  const rosterTopic = await freshTopic(kafka, 'scale-roster', PARTITIONS);
  const consentTopic = await freshTopic(kafka, 'scale-consent', PARTITIONS);
  const topics = [rosterTopic, consentTopic];
  try {
    const total = await produce(kafka, rosterTopic, consentTopic);
    const results: RunResult[] = [];
    for (let run = 0; run < RUNS; run++) {
      for (const instances of INSTANCES) {
        const result = await measure(kafka, brokers, topics, instances, total);
        results.push(result);
        process.stderr.write(
          `run ${run + 1}/${RUNS}, ${instances} instance(s): ${Math.round(result.eventsPerSecond)} events/s over ${result.counted} events ` +
            `(group stable after ${result.stableAfterSeconds.toFixed(1)} s, drained ${result.secondsFromSpawn.toFixed(1)} s after spawn)\n`,
        );
      }
    }

    const ratesFor = (k: number) => results.filter((r) => r.instances === k).map((r) => Math.round(r.eventsPerSecond));
    const single = ratesFor(1);
    const metrics = INSTANCES.map((k) =>
      metric(`view projection, ${k} instance${k > 1 ? 's' : ''}`, 'events/s', ratesFor(k), k === 1 ? {} : { baseline: { name: '1 instance', runs: single } }),
    );
    const speedUp = (k: number) => (median(ratesFor(k)) / median(single)).toFixed(2);
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
        consumer: 'ProjectionConsumer + ViewProjection per process, commitEvery 100, one transaction per message',
        results,
      },
      metrics,
      notes: [
        `Each run: k separate consumer processes in a fresh group over the same ${total} pre-produced messages, a fresh read-model database; throughput counts only the events committed after the broker reported the group Stable with k members, until lag 0. Checked per run: describeGroups members = k, committed offsets = high-water marks, ${total} processed-event markers in the database.`,
        `Speed-up over 1 instance (median): ${INSTANCES.filter((k) => k > 1).map((k) => `${k} instances ${speedUp(k)}x`).join(', ')}.`,
        `Bound on this ${machineInfo().cores}-core machine: every message is its own PostgreSQL transaction (processed-event check, read-modify-write of the view row, marker insert, commit), so each instance waits on the database for most of each message; more instances overlap those waits until the two cores are saturated by the instances, PostgreSQL and the broker together, after which adding instances only adds contention.`,
      ],
    });
    process.stdout.write(`${file}\n`);
  } finally {
    await killTestProcesses();
    await deleteTopics(kafka, topics);
  }
}

async function measure(kafka: ReturnType<typeof benchKafka>, brokers: string, topics: readonly string[], instances: number, total: number): Promise<RunResult> {
  const database = await createTestDatabase('silta_bench_scale');
  const suffix = `-bench-${randomUUID().slice(0, 8)}`;
  const groupId = `${VIEW_CONSUMER_GROUP}${suffix}`;
  // The schema first, once: several instances synchronising an empty database at once would race.
  const schema = viewDataSource(database.url);
  await schema.initialize();
  await schema.destroy();
  const workers: TestProcess[] = [];
  try {
    return await withAdmin(kafka, async (admin) => {
      const spawned = process.hrtime.bigint();
      // The topics are the benchmark's own, which no service's principal may read: `admin`.
      const env = { DATABASE_URL: database.url, ...serviceKafkaEnv('admin'), KAFKA_BROKERS: brokers, TOPICS: topics.join(','), KAFKA_GROUP_SUFFIX: suffix };
      for (let i = 0; i < instances; i++) workers.push(startTsProcess(WORKER, env));
      const deadline = Date.now() + DRAIN_TIMEOUT_MS;
      const failIfLate = (what: string) => {
        if (Date.now() > deadline) throw new Error(`${instances} instance(s): ${what}\n${workers.map((w) => w.output().slice(-1500)).join('\n---\n')}`);
      };

      let view = await groupView(admin, groupId, topics);
      while (!(view.state === 'Stable' && view.members === instances)) {
        failIfLate(`group never became Stable with ${instances} members (last: ${view.state}, ${view.members})`);
        await sleep(50);
        view = await groupView(admin, groupId, topics);
      }
      const stable = process.hrtime.bigint();
      const committedAtStart = view.committed;
      while (view.lag > 0 || view.committed < total) {
        failIfLate(`lag not drained: ${view.committed} of ${total} committed`);
        await sleep(50);
        view = await groupView(admin, groupId, topics);
      }
      const drained = process.hrtime.bigint();
      const broker = view;
      if (broker.members !== instances || broker.committed !== broker.highWater || broker.highWater !== total) {
        throw new Error(`broker view after draining: ${JSON.stringify(broker)}; expected ${instances} members and ${total} committed`);
      }
      const processedMarkers = await countMarkers(database.url, groupId);
      if (processedMarkers !== total) throw new Error(`${processedMarkers} processed-event markers, expected ${total}`);
      const windowSeconds = Number(drained - stable) / 1e9;
      const counted = total - committedAtStart;
      return {
        instances,
        eventsPerSecond: counted / windowSeconds,
        counted,
        windowSeconds: round(windowSeconds),
        secondsFromSpawn: round(Number(drained - spawned) / 1e9),
        stableAfterSeconds: round(Number(stable - spawned) / 1e9),
        broker,
        processedMarkers,
      };
    });
  } finally {
    for (const worker of workers) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => Promise.race([w.exited, sleep(10_000)])));
    await killTestProcesses();
    await database.drop();
  }
}

async function countMarkers(url: string, groupId: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM silta_processed_events WHERE consumer = $1`, [groupId]);
    return rows[0].n as number;
  } finally {
    await client.end();
  }
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
