import { randomUUID } from 'node:crypto';
import { DisclosureReceivedV1, MessageHeaders } from '@silta/contracts';
import { contractMessage } from '@silta/testing';
import { seedStudent, startDisclosure, type DisclosureIntFixture } from './testing/disclosure-int-fixture';

// Every event disclosure stores carries eventMetadata's convention: a decision the request's
// correlation id and the requester as actor; a receipt taken from the welfare area's topic the
// message's event as its cause and the correlation id the message carried.

describe("disclosure's stored events (PostgreSQL and the broker)", () => {
  let disclosure: DisclosureIntFixture;

  beforeAll(async () => {
    disclosure = await startDisclosure('metadata');
  });
  afterAll(() => disclosure?.close());

  it("records a decision with the request's correlation id, the requester as actor and the schema version; a receipt from the topic with its message as the cause", async () => {
    const world = await seedStudent(disclosure);
    const requestId = `req-${randomUUID()}`;
    const token = await disclosure.token('curator', world.curator, world.welfareAreaOrg);
    const answer = await fetch(`${disclosure.baseUrl}/v1/disclosures`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ requestId: randomUUID(), studentId: world.studentId, categories: ['identification'], basis: 'identification', purpose: 'support assessment' }),
    });
    expect(answer.status).toBe(200);
    const { disclosureId } = (await answer.json()) as { disclosureId: string };

    const receipt = contractMessage(DisclosureReceivedV1, {
      disclosureId,
      studentId: world.studentId,
      receiver: { sub: world.curator, role: 'curator', org: world.welfareAreaOrg },
      receivedCategories: ['identification'],
      dataHash: 'a'.repeat(64),
      receivedAt: new Date().toISOString(),
    });
    const receiptRequestId = `req-${randomUUID()}`;
    const headers: Record<string, string> = { ...(receipt.message.headers as Record<string, string>), [MessageHeaders.correlationId]: receiptRequestId };
    await disclosure.feed({ ...receipt, message: { ...receipt.message, headers } });

    const stored = Object.fromEntries((await disclosure.auditTrailOf(world.studentId)).map((event) => [event.type, event.metadata]));
    expect(stored.DisclosureDecided).toMatchObject({ correlationId: requestId, actor: world.curator, schemaVersion: 1 });
    expect(stored.DisclosureDecided).not.toHaveProperty('causationId');
    expect(stored.DisclosureReceived).toMatchObject({ correlationId: receiptRequestId, causationId: headers[MessageHeaders.eventId], schemaVersion: 1 });
  });
});
