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
