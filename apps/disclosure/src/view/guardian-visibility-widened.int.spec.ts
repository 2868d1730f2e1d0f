import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { GuardianVisibilityChangedV1, consentContracts, defineContract, rosterContracts } from '@silta/contracts';
import { ConsumerAlarmEntity } from '@silta/messaging';
import { eventually, uniqueName } from '@silta/testing';
import { startViewProjection, publicMessage, type ViewIntFixture } from './testing/view-int-fixture';
import { GuardianVisibilityEntity } from './view.entities';

// GuardianVisibilityChangedV1 was widened in place to name nurse and doctor (issue 12 item 5).
// A disclosure still on the narrower contract must not quietly drop such a message: it raises an
// alarm for the student (which makes its decisions about them deny) and keeps the set it had. On
// the real broker and PostgreSQL, with the view's own projection.

/** The contract as it was before the widening: curator and psychologist only. */
const NarrowGuardianVisibilityChangedV1 = defineContract({
  ...GuardianVisibilityChangedV1,
  schema: z.strictObject({
    studentId: z.string().min(1).max(200),
    hiddenRoles: z.array(z.enum(['curator', 'psychologist'])).max(2),
    declaredBy: z.strictObject({ kind: z.enum(['student', 'professional']), id: z.string().min(1).max(200) }),
    changedAt: z.iso.datetime({ offset: true }),
  }),
});

describe('a disclosure on the narrower guardian-visibility contract, given a ban naming nurse', () => {
  let view: ViewIntFixture;
  let dataSource: DataSource;

  beforeAll(async () => {
    const narrow = consentContracts.map((contract) => (contract.type === GuardianVisibilityChangedV1.type ? NarrowGuardianVisibilityChangedV1 : contract));
    view = await startViewProjection('visibility-widened', [...rosterContracts, ...narrow]);
    ({ dataSource } = view);
  });
  afterAll(() => view?.stop());

  const changed = (studentId: string, hiddenRoles: string[], changedAt: string) =>
    publicMessage(GuardianVisibilityChangedV1.type, { studentId, hiddenRoles, declaredBy: { kind: 'student', id: studentId }, changedAt }, studentId);

  it('raises an alarm for the student and keeps the hidden set it had', async () => {
    const student = uniqueName('student');
    await view.send(changed(student, ['curator'], '2026-03-02T08:00:00.000Z'));
    await eventually(async () => (await dataSource.manager.findOneBy(GuardianVisibilityEntity, { studentId: student })) !== null, 60_000, () => 'the first ban was not applied');

    await view.send(changed(student, ['curator', 'nurse'], '2026-03-09T08:00:00.000Z'));
    await eventually(async () => (await dataSource.manager.countBy(ConsumerAlarmEntity, { messageKey: student })) === 1, 60_000, () => 'no alarm was raised');
    expect((await dataSource.manager.findOneBy(GuardianVisibilityEntity, { studentId: student }))?.hiddenRoles).toEqual(['curator']);
  });
});
