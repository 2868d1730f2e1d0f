import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { released, startReceipts, type ReceiptsIntFixture } from './testing/receipts-int-fixture';

/**
 * The least time between two on-demand signings in this spec's instance: long enough that a busy
 * CI machine (two cores, the whole suite) still asks again within it (at 3 s a full run once got 200).
 */
const MIN_INTERVAL_MS = 12_000;

/**
 * An auditor's POST /v1/audit/log/checkpoints on real PostgreSQL: each signing costs a signature and a
 * stored event, so an instance signs on demand at most once per AUDIT_CHECKPOINT_MIN_INTERVAL_MS and
 * answers sooner requests 429 rate_limited with Retry-After; a log that did not grow is answered its
 * latest checkpoint at once, whenever asked.
 */
describe('on-demand checkpoints (int)', () => {
  let receipts: ReceiptsIntFixture;
  let auditor: string;

  beforeAll(async () => {
    receipts = await startReceipts(randomUUID().slice(0, 8), { AUDIT_CHECKPOINT_MIN_INTERVAL_MS: String(MIN_INTERVAL_MS), AUDIT_CHECKPOINT_INTERVAL_MS: '0' });
    auditor = await receipts.token('auditor', `auditor-${randomUUID()}`, `welfare-area:w-${randomUUID()}`);
  }, 120_000);
  afterAll(() => receipts?.close());

  /** The answer with its Retry-After header, which the fixture's JSON caller does not keep. */
  async function askForCheckpoint(): Promise<{ status: number; retryAfter: string | null; body: Record<string, unknown> }> {
    const { port } = receipts.app.getHttpServer().address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/v1/audit/log/checkpoints`, { method: 'POST', headers: { authorization: `Bearer ${auditor}` } });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, unknown> };
  }

  /** Grows the welfare area's log by one receipt. */
  async function recordReceipt(): Promise<void> {
    const org = `welfare-area:w-${randomUUID()}`;
    const curator = `curator-${randomUUID()}`;
    const disclosureId = randomUUID();
    await receipts.feedDisclosures(released(disclosureId, `student-${randomUUID()}`, { sub: curator, role: 'curator', org }, ['identification']));
    const token = await receipts.token('curator', curator, org);
    const dataHash = createHash('sha256').update(randomUUID()).digest('hex');
    const answer = await receipts.call('POST', `/v1/disclosures/${disclosureId}/receipt`, token, { receivedCategories: ['identification'], dataHash });
    expect(answer.status).toBe(200);
  }

  it('signs at most once per interval while the log grows, always answers the latest when it did not, and names when to retry', async () => {
    await recordReceipt();
    const first = await askForCheckpoint();
    expect(first.status).toBe(200);
    expect(first.body.size).toBeGreaterThan(0);

    // Nothing new: the latest checkpoint, at once, however soon.
    const unchanged = await askForCheckpoint();
    expect(unchanged).toMatchObject({ status: 200, body: first.body });

    // Grown, but signed on demand a moment ago: refused, saying how long to wait, and nothing is signed.
    await recordReceipt();
    const tooSoon = await askForCheckpoint();
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body).toMatchObject({ code: 'rate_limited', detail: expect.stringContaining(`${MIN_INTERVAL_MS} ms`) });
    const retryAfter = Number(tooSoon.retryAfter);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(MIN_INTERVAL_MS / 1000);
    expect(tooSoon.body.retryAfter).toBe(retryAfter);
    const latest = await receipts.call('GET', '/v1/audit/log/checkpoints/latest', auditor);
    expect(latest.body).toEqual(first.body);

    // After the wait it names, the grown log is signed.
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    const later = await askForCheckpoint();
    expect(later.status).toBe(200);
    expect(later.body.size).toBe((first.body.size as number) + 1);
  }, 60_000);
});
