import { Client as PgClient } from 'pg';
import type { Kafka } from 'kafkajs';
import { Topics } from '@silta/contracts';
import { killTestProcesses, testKafka } from '@silta/testing';
import { VIEW_CONSUMER_GROUP } from '../../apps/disclosure/src/view/view.constants';
import { checkInvariants, printReport } from './checker';
import { startFaultWorld, type FaultWorld } from './fault-world';
import { sleep, underLoad } from './load';

const HOLD_MS = 20_000;

/**
 * Disclosure's view consumer made slow until lag builds, then released: another session holds an
 * EXCLUSIVE lock on the view's consent table for 20 s (as a long report or a vacuum might), so the
 * consumer's transaction waits while consent writes pile up on the topic. Decisions go on meanwhile
 * (reads are not blocked), those that must be consistent with a newer consent write are refused
 * rather than answered from a stale view; once the lock goes, the same consumer, never restarted and
 * still in its group, works the lag off and the view ends where consent's store is.
 */
describe('fault: a slow consumer', () => {
  let world: FaultWorld;

  beforeAll(async () => {
    world = await startFaultWorld('slow');
  }, 240_000);

  afterAll(async () => {
    await world?.stop();
    await killTestProcesses();
  }, 60_000);

  it('builds lag while slowed, then works it off without a restart; no decision is answered from a view behind its token', async () => {
    const kafka = testKafka(`fault-slow-${world.ids.run}`);
    const group = `${VIEW_CONSUMER_GROUP}${world.groupSuffix}`;
    const pid = world.apps.disclosure!.child.pid;
    const lagSamples: { at: number; lag: number }[] = [];
    let holding = { from: 0, to: 0 };
    const load = await underLoad(world, async () => {
      const locker = new PgClient({ connectionString: world.databases.disclosure!.url });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE dv_consents IN EXCLUSIVE MODE');
        holding = { from: Date.now(), to: 0 };
        for (const until = Date.now() + HOLD_MS; Date.now() < until; await sleep(1_000)) lagSamples.push({ at: Date.now(), lag: await groupLag(kafka, group, [Topics.consent]) });
        await locker.query('ROLLBACK');
        holding.to = Date.now();
      } finally {
        await locker.end();
      }
    });
    for (let i = 0; i < 60 && (lagSamples.at(-1)?.lag ?? 1) > 0; i++, await sleep(1_000)) lagSamples.push({ at: Date.now(), lag: await groupLag(kafka, group, [Topics.consent]) });

    const report = await checkInvariants('a slow consumer (view table locked 20 s)', world, load);
    printReport(report);
    const maxLag = Math.max(...lagSamples.map((s) => s.lag));
    const drainedAt = lagSamples.find((s) => s.at > holding.to && s.lag === 0)?.at;
    const consistentDuring = load.exchanges.filter((e) => e.kind === 'decision' && e.sentAt >= holding.from && e.at <= holding.to);
    process.stdout.write(
      `  lag: up to ${maxLag} messages while slowed; ${drainedAt ? `worked off ${((drainedAt - holding.to) / 1000).toFixed(1)} s after release` : 'not worked off'}; ` +
        `decisions while slowed: ${consistentDuring.filter((e) => e.status === 200).length} answered, ${consistentDuring.filter((e) => e.status !== 200).length} refused\n`,
    );
    expect(report.violations).toEqual([]);
    expect(maxLag).toBeGreaterThan(0);
    expect(drainedAt).toBeDefined();
    // The same process, consuming again: nobody restarted it.
    expect(world.apps.disclosure!.child.pid).toBe(pid);
    expect(world.apps.disclosure!.child.exitCode).toBeNull();
  }, 300_000);
});

/** Messages on `topics` that `group` has not committed yet. */
async function groupLag(kafka: Kafka, group: string, topics: readonly string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let lag = 0;
    for (const topic of topics) {
      const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId: group, topics: [topic] })]);
      const at = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
      for (const end of ends) lag += Math.max(0, Number(end.high) - Math.max(at.get(end.partition) ?? -1, Number(end.low)));
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}
