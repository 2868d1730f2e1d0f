import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort, killTestProcesses, testBrokers } from '@silta/testing';
import type { Answer, Client } from '../e2e/harness';
import { createNetworkBoundary, type NetworkBoundary } from '../e2e/netns';
import { checkInvariants, printReport } from './checker';
import { startFaultWorld, type FaultWorld } from './fault-world';
import { sleep, underLoad, type MixedLoad } from './load';
import { bridgeIntoNamespace, type NamespaceBridge } from './netns-bridge';

const CUT_MS = 30_000;
/** Receipt calls go into a network that may be cut: a call that hangs is given up as unanswered. */
const RECEIPT_TIMEOUT_MS = 5_000;
const CATCH_UP_MS = 120_000;

/**
 * The welfare area's network cut for 30 s, then healed, under the steady mixed load. Receipts runs
 * in a network namespace of its own (SQLite in its own folder): its only way to the broker and to
 * disclosure is the veth link, and the curator reaches it only across that link too. Taking the
 * host side of the link down cuts all of it at once; the bridge also forgets every connection
 * across it, so the welfare area must reconnect after the heal, not just resume. The municipality's side must not notice beyond
 * the lost receipts calls; after healing, without restarting anything, the welfare area catches up:
 * every receipt it acknowledged is recorded on disclosure's log, it learns of every disclosure
 * released meanwhile, each party's latest checkpoint is cosigned by the other's witness, and no
 * witness raised an alarm.
 */
describe("fault: the welfare area's network cut for 30 s, then healed", () => {
  let boundary: NetworkBoundary | undefined;
  let bridge: NamespaceBridge | undefined;
  let world: FaultWorld | undefined;
  let curator: ReceiptingCurator | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'silta-fault-welfare-'));

  beforeAll(async () => {
    boundary = createNetworkBoundary();
    if (!boundary.isolated) return; // the test fails saying why
    const { hostAddress, innerAddress } = boundary;
    const [disclosurePort, receiptsPort] = [await freePort(), await freePort()];
    const brokerPorts = testBrokers()
      .split(',')
      .map((broker) => Number(broker.trim().split(':')[1]));
    bridge = await bridgeIntoNamespace(boundary, { loopback: brokerPorts, hostOnly: [disclosurePort] });
    world = await startFaultWorld('welfare_net', {
      receipts: true,
      ports: { disclosure: disclosurePort, receipts: receiptsPort },
      // Both parties sign a checkpoint every 2 s while their log grows, so witnessing goes on through the load.
      env: { AUDIT_CHECKPOINT_INTERVAL_MS: '2000' },
      receiptsPlacement: {
        host: innerAddress,
        wrap: boundary.wrap,
        url: (port) => `http://${innerAddress}:${port}`,
        disclosureUrl: `http://${hostAddress}:${disclosurePort}`,
        dataDir,
      },
    });
  }, 300_000);

  afterAll(async () => {
    await curator?.stop();
    // A failed test may have left the link down: bring it up so the apps stop cleanly.
    try {
      if (boundary?.isolated) boundary.heal();
    } catch {
      // the namespace is gone already
    }
    await world?.stop();
    await bridge?.close();
    boundary?.remove();
    rmSync(dataDir, { recursive: true, force: true });
    await killTestProcesses();
  }, 120_000);

  it('after healing, receipts arrive and the witnesses cosign both logs without alarms, with nothing restarted', async () => {
    if (!boundary!.isolated) throw new Error(`this fault needs a network namespace to cut, and none could be made: ${boundary!.unavailable}`);
    const w = world!;
    const receipting = (curator = new ReceiptingCurator(w));
    let cutAt = 0;
    let healedAt = 0;
    const load = await underLoad(w, async (load) => {
      receipting.start(load);
      // Receipts cross the link before the cut: the route works, so what fails later is the cut's doing.
      await eventually(async () => receipting.acknowledged().length >= 3, 120_000, () => `no receipt was acknowledged before the cut: ${JSON.stringify(receipting.summary())}`);
      boundary!.cut();
      bridge!.cut();
      cutAt = Date.now();
      await sleep(CUT_MS);
      bridge!.heal();
      boundary!.heal();
      healedAt = Date.now();
    });
    // The curator goes on until receipts are acknowledged again across the healed link (or the checks say why not).
    const resumed = await eventually(async () => receipting.acknowledged(healedAt).length >= 5, CATCH_UP_MS, () => '').then(
      () => [],
      () => [`only ${receipting.acknowledged(healedAt).length} receipts acknowledged in ${CATCH_UP_MS / 1000} s after healing: ${JSON.stringify(receipting.summary())}`],
    );
    await receipting.stop();

    const report = await checkInvariants("the welfare area's network cut for 30 s", w, load);
    const welfare = await checkWelfareArea(w, load, receipting, healedAt);
    const duringCut = receipting.calls.filter((c) => c.at >= cutAt && c.at < healedAt);
    const violations = [...report.violations, ...resumed, ...welfare.violations];
    printReport({ ...report, violations }, {
      'welfare area': { receiptCalls: receipting.calls.length, receiptCallsDuringCut: duringCut.length, unansweredDuringCut: duringCut.filter((c) => c.status === 0).length, ...welfare.figures },
      'receipt answers': receipting.summary(),
    });
    expect(violations).toEqual([]);
    // The cut really cut: the curator's receipt calls during it got no answer, and none got through.
    expect(duringCut.length).toBeGreaterThan(0);
    expect(duringCut.filter((c) => c.status >= 200 && c.status < 300)).toEqual([]);
    // Nothing was restarted to catch up: receipts is the process that was started before the cut.
    expect(w.apps.receipts!.child.exitCode).toBeNull();
    expect(report.decisionsAnswered).toBeGreaterThan(0);
  }, 600_000);
});

/** One receipt call by the curator and its answer (status 0: no answer, e.g. the link was down). */
interface ReceiptCall {
  readonly disclosureId: string;
  readonly status: number;
  readonly code?: string;
  readonly at: number;
}

/**
 * The curator acknowledging, now and then, the disclosures the load's decisions released to them,
 * on receipts' API across the link. Oldest first; one not known to receipts yet (404), unanswered
 * or failed is tried again later. What the decision's answer said (categories, data hash) is read
 * from its audit event on disclosure's log, since the load keeps no answer bodies.
 */
class ReceiptingCurator {
  readonly calls: ReceiptCall[] = [];
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private running = false;
  /** Disclosures whose audit event released nothing (never expected for an answered permit). */
  private notReleased = 0;
  /** The last thing that went wrong in the curator's own loop (a query), shown with the figures. */
  private problem: string | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly world: FaultWorld) {}

  start(load: MixedLoad): void {
    this.running = true;
    this.loop = this.work(load);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Disclosures whose receipt was answered 2xx (since `since`). */
  acknowledged(since = 0): string[] {
    return this.calls.filter((c) => c.at >= since && c.status >= 200 && c.status < 300).map((c) => c.disclosureId);
  }

  /** Disclosures receipts says it holds a receipt for: acknowledged, or refused as already receipted (an earlier unanswered call got through). */
  receipted(): string[] {
    return [...new Set(this.calls.filter((c) => (c.status >= 200 && c.status < 300) || c.code === 'already_receipted').map((c) => c.disclosureId))];
  }

  summary(): Record<string, number | string> {
    const counts: Record<string, number | string> = {};
    if (this.notReleased > 0) counts['not released'] = this.notReleased;
    if (this.problem) counts.problem = this.problem;
    for (const c of this.calls) {
      const key = `receipt ${c.status}${c.code ? ` ${c.code}` : ''}`;
      counts[key] = Number(counts[key] ?? 0) + 1;
    }
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
  }

  private async work(load: MixedLoad): Promise<void> {
    const curator = this.world.curator.withTimeout(RECEIPT_TIMEOUT_MS);
    while (this.running) {
      for (const e of load.exchanges) {
        if (e.kind === 'decision' && e.status === 200 && e.outcome !== 'deny' && e.disclosureId && !this.queued.has(e.disclosureId)) {
          this.queued.add(e.disclosureId);
          this.queue.push(e.disclosureId);
        }
      }
      const disclosureId = this.queue.shift();
      if (disclosureId) await this.acknowledge(curator, disclosureId).catch((error: Error) => (this.problem = error.message));
      // Now and then: a curator reads what arrived before acknowledging it.
      await sleep(300);
    }
  }

  private async acknowledge(curator: Client, disclosureId: string): Promise<void> {
    const released = await this.releasedBy(disclosureId);
    if (!released) {
      this.notReleased++;
      return;
    }
    let answer: Answer;
    try {
      answer = await curator.post(this.world.url('receipts', `/v1/disclosures/${disclosureId}/receipt`), { receivedCategories: released.categories, dataHash: released.dataHash });
    } catch {
      answer = { status: 0, contentType: '', body: undefined };
    }
    const code = answer.status >= 400 && typeof answer.body === 'object' && answer.body ? (answer.body.code as string | undefined) : undefined;
    this.calls.push({ disclosureId, status: answer.status, code, at: Date.now() });
    const settled = (answer.status >= 200 && answer.status < 300) || code === 'already_receipted';
    if (!settled) this.queue.push(disclosureId);
  }

  private async releasedBy(disclosureId: string): Promise<{ categories: string[]; dataHash: string } | undefined> {
    const [row] = await this.world.query<{ released: { categories: string[]; dataHash: string } | null }>(
      'disclosure',
      `SELECT data::json->'released' AS released FROM silta_events WHERE type = 'DisclosureDecided' AND data::json->>'disclosureId' = $1`,
      [disclosureId],
    );
    return row?.released && row.released.categories.length > 0 ? row.released : undefined;
  }
}

interface Witnessing {
  readonly ownCosignedByPeer: { size: number; cosignedAt: string } | null;
  readonly alarms: readonly { reason: string; size: number }[];
}

/**
 * The welfare area's side after healing, each checked until it holds or CATCH_UP_MS passed: every
 * receipt receipts holds is recorded on disclosure's log; receipts knows every disclosure the load
 * was released (acknowledged, or listed as missing a receipt); each party's latest checkpoint is
 * cosigned by the other party after the heal; and neither witness raised an alarm.
 */
async function checkWelfareArea(
  world: FaultWorld,
  load: MixedLoad,
  curator: ReceiptingCurator,
  healedAt: number,
): Promise<{ figures: Record<string, number | string>; violations: string[] }> {
  const violations: string[] = [];
  const receipted = curator.receipted();

  // Receipts published back and recorded on the municipality's log.
  let recorded = new Set<string>();
  const allRecorded = async () => {
    recorded = new Set(
      (await world.query<{ disclosure_id: string }>('disclosure', `SELECT data::json->>'disclosureId' AS disclosure_id FROM silta_events WHERE type = 'DisclosureReceived' AND data::json->>'disclosureId' = ANY($1)`, [receipted])).map(
        (row) => row.disclosure_id,
      ),
    );
    return receipted.every((id) => recorded.has(id));
  };
  await eventually(notYetOnError(allRecorded), CATCH_UP_MS, () => '').catch(() =>
    violations.push(`${receipted.filter((id) => !recorded.has(id)).length} of ${receipted.length} receipts the welfare area holds are not recorded on disclosure's log, e.g. ${receipted.find((id) => !recorded.has(id))}`),
  );

  // Receipts' view of what was released to the welfare area: acknowledged, or still missing a receipt.
  const released = [...new Set(load.exchanges.filter((e) => e.kind === 'decision' && e.status === 200 && (e.outcome === 'permit' || e.outcome === 'partial')).map((e) => e.disclosureId!))];
  let known = new Set<string>();
  const receiptedSet = new Set(receipted);
  const viewCaughtUp = async () => {
    known = new Set([...receiptedSet, ...(await missingReceipts(world))]);
    return released.every((id) => known.has(id));
  };
  await eventually(notYetOnError(viewCaughtUp), CATCH_UP_MS, () => '').catch(() =>
    violations.push(`receipts does not know ${released.filter((id) => !known.has(id)).length} of ${released.length} disclosures released to the curator, e.g. ${released.find((id) => !known.has(id))}`),
  );

  // Each log's latest checkpoint cosigned by the other party, after the heal; no alarms.
  const cosigned: Record<string, string> = {};
  const alarms: Record<string, number> = {};
  for (const [app, party] of [
    ['disclosure', 'municipality'],
    ['receipts', 'welfareArea'],
  ] as const) {
    let latest = 0;
    let witnessing: Witnessing | undefined;
    const caughtUp = async () => {
      latest = (await ok(world.auditor.get(world.url(app, '/v1/audit/log/checkpoints/latest')))).size as number;
      witnessing = (await ok(world.auditor.get(world.url(app, '/v1/audit/log/witness')))) as unknown as Witnessing;
      const own = witnessing.ownCosignedByPeer;
      return own !== null && own.size === latest && Date.parse(own.cosignedAt) >= healedAt;
    };
    await eventually(notYetOnError(caughtUp), CATCH_UP_MS, () => '').catch(() =>
      violations.push(
        `the ${party}'s latest checkpoint (size ${latest}) was not cosigned by the other party after healing; the latest cosigned: ${JSON.stringify(witnessing?.ownCosignedByPeer ? { size: witnessing.ownCosignedByPeer.size, cosignedAt: witnessing.ownCosignedByPeer.cosignedAt } : null)}`,
      ),
    );
    cosigned[`${party}CheckpointCosigned`] = `${witnessing?.ownCosignedByPeer?.size ?? 0}/${latest}`;
    alarms[`${app}Alarms`] = witnessing?.alarms.length ?? -1;
    if (witnessing && witnessing.alarms.length > 0) violations.push(`${app}'s witness raised ${witnessing.alarms.length} alarms, e.g. at size ${witnessing.alarms[0]!.size}: ${witnessing.alarms[0]!.reason}`);
  }

  return {
    figures: {
      receiptsAcknowledged: curator.acknowledged().length,
      receiptsHeld: receipted.length,
      receiptsRecordedByDisclosure: recorded.size,
      releasedToCurator: released.length,
      releasedKnownToReceipts: released.filter((id) => known.has(id)).length,
      ...cosigned,
      ...alarms,
    },
    violations,
  };
}

/** Every disclosure receipts' report lists as released to the welfare area without a receipt (all pages). */
async function missingReceipts(world: FaultWorld): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await ok(world.auditor.get(world.url('receipts', `/v1/receipts/missing?limit=100${cursor ? `&cursor=${cursor}` : ''}`)));
    ids.push(...(page.disclosures as { disclosureId: string }[]).map((d) => d.disclosureId));
    cursor = page.nextCursor as string | null;
  } while (cursor);
  return ids;
}

/** A check whose call failed (an app still reconnecting) has not held yet: asked again. */
function notYetOnError(check: () => Promise<boolean>): () => Promise<boolean> {
  return () => check().catch(() => false);
}

async function ok(pending: Promise<Answer>): Promise<Record<string, unknown>> {
  const answer = await pending;
  if (answer.status !== 200) throw new Error(`expected 200, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body as Record<string, unknown>;
}
