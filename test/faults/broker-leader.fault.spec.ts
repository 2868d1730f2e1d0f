import { Topics } from '@silta/contracts';
import { clusterNodes, eventually, isrOf, killNode, killTestProcesses, leaderOf, restartNodes, testKafka } from '@silta/testing';
import { checkInvariants, printReport } from './checker';
import { startFaultWorld, type FaultWorld } from './fault-world';
import { sleep, underLoad } from './load';

/**
 * kill -9 of the broker leading consent's topic partitions, mid-load, on the three-node cluster
 * (replication factor 3, min.insync.replicas 2, the relays producing with acks=all): another node
 * takes over each partition it led, the relays and consumers follow the new leaders by themselves,
 * and nothing acknowledged is lost; 15 s later the node starts again and catches up into the ISR.
 */
describe('fault: kill -9 the partition leader broker', () => {
  let world: FaultWorld;

  beforeAll(async () => {
    await clusterNodes(); // a three-node cluster, or this suite says how to get one
    world = await startFaultWorld('leader');
  }, 240_000);

  afterAll(async () => {
    await restartNodes().catch(() => undefined); // never leave the suite's cluster a node short
    await world?.stop();
    await killTestProcesses();
  }, 120_000);

  it('a new leader takes over; relays and consumers follow it; nothing acknowledged is lost', async () => {
    const kafka = testKafka(`fault-leader-${world.ids.run}`);
    const partitions = await consentPartitions(kafka);
    let victim = -1;
    const leadersDuring: number[] = [];
    const load = await underLoad(world, async () => {
      // The node leading most of consent's partitions: the relay publishing consent writes and the view consuming them both lose it.
      const leaders = await Promise.all(partitions.map((p) => leaderOf(kafka, Topics.consent, p)));
      victim = mostCommon(leaders);
      await killNode(victim);
      await sleep(15_000);
      leadersDuring.push(...(await Promise.all(partitions.map((p) => leaderOf(kafka, Topics.consent, p)))));
      await restartNodes();
    });
    const report = await checkInvariants(`kill -9 of broker node ${victim}, the leader of consent's partitions`, world, load);
    printReport(report);
    expect(report.violations).toEqual([]);
    // While it was down, every partition had another leader; afterwards it is back in every ISR.
    expect(leadersDuring.filter((leader) => leader === victim || leader < 0)).toEqual([]);
    await eventually(async () => (await Promise.all(partitions.map((p) => isrOf(kafka, Topics.consent, p)))).every((isr) => isr.includes(victim)), 60_000, () => `node ${victim} did not rejoin the ISR`);
    expect(report.consentWritesAcknowledged).toBeGreaterThan(0);
  }, 300_000);
});

async function consentPartitions(kafka: ReturnType<typeof testKafka>): Promise<number[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [Topics.consent] });
    return topics[0]!.partitions.map((p) => p.partitionId);
  } finally {
    await admin.disconnect();
  }
}

function mostCommon(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}
