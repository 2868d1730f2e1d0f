import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import {
  ConsentWithdrawnV1,
  MessageHeaders,
  Topics,
  consentContracts,
  deadLetterTopicOf,
  disclosureContracts,
  receiptsContracts,
  rosterContracts,
  type IntegrationEventContract,
} from '@silta/contracts';
import { eventually, killTestProcesses, testKafka } from '@silta/testing';
import { DISCLOSURE_TOPIC_GROUP } from '../../apps/receipts/src/released/disclosure-topic.projection';
import { ROSTER_VIEW_GROUP } from '../../apps/consent/src/roster-view/roster-view.consumer';
import { VIEW_CONSUMER_GROUP } from '../../apps/disclosure/src/view/view.constants';
import { RECEIPTS_TOPIC_GROUP } from '../../apps/disclosure/src/welfare-area-topic/welfare-area-topic.projection';
import { checkInvariants, printReport } from './checker';
import { startFaultWorld, type FaultWorld } from './fault-world';
import { underLoad } from './load';

/** Which consumer groups read each topic Silta consumes. */
const CONSUMERS: Record<string, readonly string[]> = {
  [Topics.roster]: [ROSTER_VIEW_GROUP, VIEW_CONSUMER_GROUP],
  [Topics.consent]: [VIEW_CONSUMER_GROUP],
  [Topics.disclosure]: [DISCLOSURE_TOPIC_GROUP],
  [Topics.receipts]: [RECEIPTS_TOPIC_GROUP],
};
const CONTRACTS: Record<string, readonly IntegrationEventContract<string, unknown>[]> = {
  [Topics.roster]: rosterContracts as never,
  [Topics.consent]: consentContracts as never,
  [Topics.disclosure]: disclosureContracts as never,
  [Topics.receipts]: receiptsContracts as never,
};

/**
 * A poison message on every topic a Silta consumer reads, mid-load: bytes that are not JSON under
 * a real event type that widens no access. Each consumer group sends it to its dead-letter topic
 * with the reason, and goes on with the messages behind it: the view keeps up, nothing is lost.
 * And one that would have narrowed access (a withdrawal that fails its contract) for a student
 * with consent: it is dead-lettered too, and from then on that student's data is not released on
 * consent — a dead letter never widens access.
 */
describe('fault: poison messages on every consumed topic', () => {
  let world: FaultWorld;

  beforeAll(async () => {
    world = await startFaultWorld('poison', { receipts: true });
  }, 240_000);

  afterAll(async () => {
    await world?.stop();
    await killTestProcesses();
  }, 60_000);

  it('dead-letters each poison message, counted and inspectable, and every consumer goes on', async () => {
    const kafka = testKafka(`fault-poison-${world.ids.run}`);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const poisoned = new Map<string, string>(); // event id -> topic
    const narrowing = { studentId: world.students[0]!.studentId, eventId: randomUUID(), deadLetteredAt: 0 };
    try {
      const load = await underLoad(world, async (running) => {
        // The narrowing poison needs the student to hold consent first, so its effect shows.
        await eventually(
          async () => running.exchanges.some((e) => e.kind === 'grant' && e.status === 201 && e.studentId === narrowing.studentId),
          60_000,
          () => `the first student never got consent: ${JSON.stringify(running.summary())}`,
        );
        for (const topic of Object.keys(CONSUMERS)) {
          const contract = CONTRACTS[topic]!.find((c) => !c.narrowsAccess)!;
          const eventId = randomUUID();
          poisoned.set(eventId, topic);
          await producer.send({ topic, acks: -1, messages: [{ key: `poison-${world.ids.run}`, value: 'this is not JSON {', headers: headersOf(contract, eventId) }] });
        }
        await producer.send({
          topic: Topics.consent,
          acks: -1,
          messages: [{ key: narrowing.studentId, value: JSON.stringify({ studentId: narrowing.studentId }), headers: headersOf(ConsentWithdrawnV1 as never, narrowing.eventId) }],
        });
      });

      // Each consuming group dead-lettered each poison message once, with its reason and source.
      const expected = Object.entries(CONSUMERS).flatMap(([topic, groups]) => groups.map((group) => ({ topic, group: `${group}${world.groupSuffix}` })));
      const found: Record<string, KafkaMessage[]> = {};
      for (const { topic, group } of expected) {
        const dlt = deadLetterTopicOf(topic, group);
        const wanted = [...poisoned].filter(([, t]) => t === topic).map(([id]) => id).concat(topic === Topics.consent ? [narrowing.eventId] : []);
        found[dlt] = await readWhere(kafka, dlt, (m) => wanted.includes(m.headers?.[MessageHeaders.eventId]?.toString() ?? ''), wanted.length);
        expect({ dlt, count: found[dlt]!.length }).toEqual({ dlt, count: wanted.length });
        for (const message of found[dlt]!) {
          expect(message.headers?.[MessageHeaders.deadLetterError]?.toString()).toBeTruthy();
          expect(message.headers?.[MessageHeaders.deadLetterSource]?.toString()).toMatch(new RegExp(`^${topic.replace(/\./g, '\\.')}/\\d+/\\d+$`));
        }
      }
      // When disclosure's view dead-lettered the narrowing one, from the alarm row it wrote.
      const alarm = await world.query<{ raised_at: Date }>('disclosure', 'SELECT raised_at FROM silta_consumer_alarms WHERE event_id = $1', [narrowing.eventId]);
      expect(alarm).toHaveLength(1);
      narrowing.deadLetteredAt = alarm[0]!.raised_at.getTime();

      const report = await checkInvariants('poison message on every consumed topic', world, load);
      const deadLetters = Object.values(found).reduce((n, messages) => n + messages.length, 0);
      printReport(report);
      process.stdout.write(`  dead letters: ${deadLetters} in ${expected.length} dead-letter topics (${Object.entries(found).map(([dlt, m]) => `${dlt}: ${m.length}`).join(', ')})\n`);
      expect(report.violations).toEqual([]);
      // After the narrowing dead letter, nothing was released on consent for that student during the
      // load; and a fresh consent, seen by the view, still releases nothing for them, while the same
      // steps for another student do.
      const after = load.exchanges.filter((e) => e.kind === 'decision' && e.studentId === narrowing.studentId && e.status === 200 && e.sentAt > narrowing.deadLetteredAt);
      expect(after.filter((e) => e.outcome !== 'deny')).toEqual([]);
      const freshConsent = async (student: FaultWorld['students'][number]) => {
        const granted = await student.guardian.post(world.url('consent', '/v1/consents'), {
          studentId: student.studentId,
          categories: ['absences'],
          recipient: { welfareAreaId: world.ids.welfareArea, roles: ['curator'] },
          purpose: 'student welfare assessment',
        });
        expect(granted.status).toBe(201);
        const decision = await world.curator.post(world.url('disclosure', '/v1/disclosures'), {
          requestId: randomUUID(),
          studentId: student.studentId,
          categories: ['absences'],
          basis: 'consent',
          purpose: 'student welfare assessment',
          consistentWith: granted.body.positionToken,
        });
        expect(decision.status).toBe(200);
        return decision.body.outcome as string;
      };
      const [poisonedOutcome, controlOutcome] = [await freshConsent(world.students[0]!), await freshConsent(world.students[1]!)];
      process.stdout.write(`  narrowing dead letter: ${after.length} decisions for that student after it, none released; a fresh consent then: ${poisonedOutcome} (another student: ${controlOutcome})\n`);
      expect({ poisonedOutcome, controlOutcome }).toEqual({ poisonedOutcome: 'deny', controlOutcome: 'permit' });
    } finally {
      await producer.disconnect();
    }
  }, 300_000);
});

function headersOf(contract: IntegrationEventContract<string, unknown>, eventId: string): Record<string, string> {
  return { [MessageHeaders.eventId]: eventId, [MessageHeaders.eventType]: contract.type, [MessageHeaders.schemaVersion]: String(contract.schemaVersion) };
}

/** Reads `topic` from the start until `count` messages matched (or 60 s). */
async function readWhere(kafka: ReturnType<typeof testKafka>, topic: string, match: (m: KafkaMessage) => boolean, count: number): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: `fault-dlt-reader-${randomUUID()}` });
  const matched: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ autoCommit: false, eachMessage: async ({ message }) => void (match(message) && matched.push(message)) });
    await eventually(async () => matched.length >= count, 60_000, () => `${topic}: ${matched.length} of ${count} dead letters`).catch(() => undefined);
    return matched;
  } finally {
    await consumer.disconnect();
  }
}
