import { randomUUID } from 'node:crypto';
import type { JsonAnswer } from '@silta/testing';
import { seedStudent, type DisclosureIntFixture, type StudentWorld } from './disclosure-int-fixture';

/** A curator's disclosure request about the world's student, with a fresh requestId unless given. */
export async function requestAsCurator(disclosure: DisclosureIntFixture, world: StudentWorld, body: Record<string, unknown>): Promise<JsonAnswer> {
  const curator = await disclosure.token('curator', world.curator, world.welfareAreaOrg);
  return disclosure.call('POST', '/v1/disclosures', curator, { requestId: randomUUID(), studentId: world.studentId, purpose: 'support assessment', ...body });
}

/**
 * The decision path a spec runs on each store: a permit returns the data and is recorded with the
 * hash of exactly that data, a denial releases nothing and is recorded too, the auditor's list
 * holds both, and the audit log proves both against a signed checkpoint.
 */
export function itAuditsPermitsAndDenials(fixture: () => DisclosureIntFixture): void {
  it('answers a permit with the data and records it with the hash of that data; a denial releases nothing and is recorded; the audit log proves both', async () => {
    const disclosure = fixture();
    const world = await seedStudent(disclosure);

    const permit = await requestAsCurator(disclosure, world, { categories: ['identification'], basis: 'identification' });
    expect([permit.status, permit.body.outcome]).toEqual([200, 'permit']);
    expect(permit.body.data).toEqual({ identification: world.identification });
    // absences on consent, with no consent given
    const deny = await requestAsCurator(disclosure, world, { categories: ['absences'], basis: 'consent' });
    expect([deny.status, deny.body.outcome]).toEqual([200, 'deny']);
    expect(deny.body.data).toEqual({});

    const recorded = (await disclosure.auditTrailOf(world.studentId)).map((event) => ({ id: event.id, type: event.type, released: (event.data as { released?: unknown }).released }));
    expect(recorded).toEqual([
      { id: permit.body.disclosureId, type: 'DisclosureDecided', released: { categories: ['identification'], dataHash: permit.body.dataHash } },
      { id: deny.body.disclosureId, type: 'DisclosureDecided', released: { categories: [], dataHash: deny.body.dataHash } },
    ]);

    const auditor = await disclosure.token('auditor', `auditor-${world.welfareAreaId}`, world.welfareAreaOrg);
    const listed = await disclosure.call('GET', `/v1/audit/disclosures?studentId=${world.studentId}`, auditor);
    expect(listed.status).toBe(200);
    expect((listed.body.disclosures as Array<{ disclosureId: string; outcome: string }>).map((d) => [d.disclosureId, d.outcome]).sort()).toEqual(
      [[permit.body.disclosureId, 'permit'], [deny.body.disclosureId, 'deny']].sort(),
    );

    const proven = await disclosure.verifiedAuditTrailOf(world.studentId, auditor);
    expect(proven.map((event) => [event.type, (event.data as { disclosureId: string }).disclosureId])).toEqual([
      ['DisclosureDecided', permit.body.disclosureId],
      ['DisclosureDecided', deny.body.disclosureId],
    ]);
  });
}

/** The event store refusing appends: the decision fails closed (503, nothing released, nothing recorded) and the next one is decided once it is back. */
export function itFailsClosedWhenTheStoreIsDown(fixture: () => DisclosureIntFixture): void {
  it('fails closed when the event store is down: 503 and nothing released, and decides again once it is back', async () => {
    const disclosure = fixture();
    const world = await seedStudent(disclosure);
    const restore = await disclosure.refuseAppends();
    let down: JsonAnswer;
    try {
      down = await requestAsCurator(disclosure, world, { categories: ['identification'], basis: 'identification' });
    } finally {
      await restore();
    }
    expect([down.status, down.contentType, down.body.code]).toEqual([503, expect.stringMatching(/^application\/problem\+json/), 'event_store_unavailable']);
    expect(down.body.data).toBeUndefined();
    expect(JSON.stringify(down.body)).not.toContain(world.identification.name);
    expect(await disclosure.auditTrailOf(world.studentId)).toEqual([]);

    const back = await requestAsCurator(disclosure, world, { categories: ['identification'], basis: 'identification' });
    expect(outcomeOf(back)).toEqual({ status: 200, outcome: 'permit', reasons: ['identification_data'], data: { identification: world.identification } });
  });
}

/** What a decision answered, as a professional sees it. */
export function outcomeOf(answer: JsonAnswer) {
  return {
    status: answer.status,
    outcome: answer.body.outcome,
    reasons: (answer.body.categories as Array<{ reason: string }> | undefined)?.map((c) => c.reason),
    data: answer.body.data,
  };
}
