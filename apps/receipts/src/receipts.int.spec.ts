import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { released, startReceipts, type Answer, type ReceiptsIntFixture } from './testing/receipts-int-fixture';

/**
 * The welfare area's receipts service on real PostgreSQL and the broker, driven over HTTP: only the
 * requester of a disclosure released to their organisation can acknowledge it, once; the auditors'
 * missing-receipts list holds only their own organisation's; odd input is a 4xx problem and
 * nothing is written. Each test makes its own ids.
 */
describe('receipts (int)', () => {
  let receipts: ReceiptsIntFixture;
  const hash = () => createHash('sha256').update(randomUUID()).digest('hex');

  beforeAll(async () => {
    receipts = await startReceipts(randomUUID().slice(0, 8));
  }, 120_000);
  afterAll(() => receipts?.close());

  /** A disclosure of identification released to a curator of a fresh welfare area, known to receipts. */
  async function releasedDisclosure() {
    const org = `welfare-area:w-${randomUUID()}`;
    const curator = `curator-${randomUUID()}`;
    const disclosureId = randomUUID();
    await receipts.feedDisclosures(released(disclosureId, `student-${randomUUID()}`, { sub: curator, role: 'curator', org }, ['identification']));
    return { org, curator, disclosureId, token: await receipts.token('curator', curator, org) };
  }

  const acknowledge = (disclosureId: string, bearer: string, body: unknown = { receivedCategories: ['identification'], dataHash: hash() }) =>
    receipts.call('POST', `/v1/disclosures/${disclosureId}/receipt`, bearer, body);

  function expectProblem(answer: Answer, status: number, code?: string) {
    expect(answer.status).toBe(status);
    expect(answer.contentType).toContain('application/problem+json');
    if (code) expect(answer.body.code).toBe(code);
  }

  it('records the receipt of its requester; a repeat is answered 409 with when it was acknowledged, and no second receipt is written', async () => {
    const { disclosureId, token } = await releasedDisclosure();
    const body = { receivedCategories: ['identification'], dataHash: hash() };
    const first = await acknowledge(disclosureId, token, body);
    expect(first).toMatchObject({ status: 200, body: { disclosureId, receivedCategories: ['identification'], dataHash: body.dataHash } });
    const again = await acknowledge(disclosureId, token, body);
    expectProblem(again, 409, 'already_receipted');
    expect(again.body.detail).toContain(String(first.body.receivedAt));
    expect(await receipts.receiptsOf(disclosureId)).toBe(1);
  });

  it("stores the receipt with the request's correlation id, the requester as its actor and the schema version", async () => {
    const { disclosureId, curator, token } = await releasedDisclosure();
    const { port } = receipts.app.getHttpServer().address() as AddressInfo;
    const requestId = `req-${randomUUID()}`;
    const answer = await fetch(`http://127.0.0.1:${port}/v1/disclosures/${disclosureId}/receipt`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ receivedCategories: ['identification'], dataHash: hash() }),
    });
    expect(answer.status).toBe(200);
    const [stored] = await receipts.app.get(DataSource).query(`SELECT metadata FROM silta_events WHERE type = 'DisclosureReceived' AND data::jsonb->>'disclosureId' = $1`, [disclosureId]);
    expect(JSON.parse(stored.metadata)).toMatchObject({ correlationId: requestId, actor: curator, schemaVersion: 1 });
  });

  it('refuses a professional of another welfare area, and the same sub under another organisation; nothing is written', async () => {
    const { disclosureId, curator } = await releasedDisclosure();
    const otherArea = await receipts.token('curator', `curator-${randomUUID()}`, `welfare-area:w-${randomUUID()}`);
    expectProblem(await acknowledge(disclosureId, otherArea), 404, 'disclosure_not_known');
    const sameSubElsewhere = await receipts.token('curator', curator, `welfare-area:w-${randomUUID()}`);
    expectProblem(await acknowledge(disclosureId, sameSubElsewhere), 404, 'disclosure_not_known');
    expect(await receipts.receiptsOf(disclosureId)).toBe(0);
  });

  it('refuses another professional of the same welfare area; nothing is written', async () => {
    const { disclosureId, org } = await releasedDisclosure();
    const colleague = await receipts.token('curator', `curator-${randomUUID()}`, org);
    expectProblem(await acknowledge(disclosureId, colleague), 403, 'not_the_requester');
    expect(await receipts.receiptsOf(disclosureId)).toBe(0);
  });

  it("lists missing receipts of the auditor's own organisation only, and drops an acknowledged one", async () => {
    const mine = await releasedDisclosure();
    const acknowledged = await releasedDisclosure();
    const theirs = await releasedDisclosure();
    // the second release goes to the same organisation as the first, by another curator
    const colleague = `curator-${randomUUID()}`;
    const second = randomUUID();
    await receipts.feedDisclosures(released(second, `student-${randomUUID()}`, { sub: colleague, role: 'curator', org: mine.org }, ['identification']));
    expect((await acknowledge(acknowledged.disclosureId, acknowledged.token)).status).toBe(200);

    const listed = async (org: string) =>
      ((await receipts.call('GET', '/v1/receipts/missing', await receipts.token('auditor', `auditor-${randomUUID()}`, org))).body.disclosures as { disclosureId: string }[]).map((d) => d.disclosureId);
    expect((await listed(mine.org)).sort()).toEqual([mine.disclosureId, second].sort());
    expect(await listed(acknowledged.org)).toEqual([]);
    expect(await listed(theirs.org)).toEqual([theirs.disclosureId]);
    expectProblem(await receipts.call('GET', '/v1/receipts/missing', mine.token), 403);
  });

  it('answers odd input with a 4xx problem naming it, and writes nothing', async () => {
    const { disclosureId, token } = await releasedDisclosure();
    const odd: [string, unknown][] = [
      ['a huge body', { receivedCategories: ['identification'], dataHash: hash(), padding: 'x'.repeat(2_000_000) }],
      ['categories of the wrong type', { receivedCategories: 'identification', dataHash: hash() }],
      ['an unknown category', { receivedCategories: ['horoscope'], dataHash: hash() }],
      ['a hash that is no hash', { receivedCategories: ['identification'], dataHash: 'not-a-hash' }],
      ['a field of its own', { receivedCategories: ['identification'], dataHash: hash(), extra: true }],
      ['no JSON', '{"receivedCategories": ['],
      ['wrong categories', { receivedCategories: ['identification', 'grades'], dataHash: hash() }],
    ];
    for (const [what, body] of odd) {
      const answer = await acknowledge(disclosureId, token, body);
      expect({ what, status: answer.status >= 400 && answer.status < 500, problem: answer.contentType.includes('problem+json') }).toEqual({ what, status: true, problem: true });
    }
    for (const oddId of ['not-a-uuid', '%00', 'x'.repeat(500), "1' OR '1'='1"]) {
      const answer = await acknowledge(encodeURIComponent(oddId), token);
      expect({ oddId, status: answer.status >= 400 && answer.status < 500 }).toEqual({ oddId, status: true });
    }
    expect(await receipts.receiptsOf(disclosureId)).toBe(0);
  });
});
