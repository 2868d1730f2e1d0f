import { ContractRegistry } from './contract';
import { GuardianVisibilityChangedV1, consentContracts } from './consent.contracts';

describe('GuardianVisibilityChanged v1', () => {
  const registry = new ContractRegistry(consentContracts);
  const valid = { studentId: 's-1', hiddenRoles: ['curator', 'psychologist'], declaredBy: { kind: 'student', id: 's-1' }, changedAt: '2026-03-02T08:00:00.000Z' };
  const check = (payload: unknown) => registry.validate(GuardianVisibilityChangedV1.type, 1, payload);

  it('travels on silta.consent.v1 keyed by student, with the whole hidden set (empty once restored)', () => {
    expect(GuardianVisibilityChangedV1.topic).toBe('silta.consent.v1');
    expect(GuardianVisibilityChangedV1.key(valid as never)).toBe('s-1');
    expect(check(valid)).toMatchObject({ ok: true });
    expect(check({ ...valid, hiddenRoles: [], declaredBy: { kind: 'professional', id: 'p-1' } })).toMatchObject({ ok: true });
  });

  it('carries nurse and doctor too: a minor may keep their health data from guardians (potilaslaki 9 §)', () => {
    expect(check({ ...valid, hiddenRoles: ['curator', 'psychologist', 'nurse', 'doctor'] })).toMatchObject({ ok: true });
  });

  it('refuses roles that are not welfare professions, repeats, other declarants and extra fields', () => {
    for (const payload of [
      { ...valid, hiddenRoles: ['teacher'] },
      { ...valid, hiddenRoles: ['school_admin'] },
      { ...valid, hiddenRoles: ['curator', 'curator'] },
      { ...valid, declaredBy: { kind: 'guardian', id: 'g-1' } },
      { ...valid, declaredBy: { kind: 'professional', id: 'p-1', role: 'curator' } },
      { ...valid, changedAt: '2026-03-02' },
      { ...valid, reason: 'x' },
      { studentId: 's-1', hiddenRoles: ['curator'], changedAt: valid.changedAt },
    ]) {
      expect(check(payload)).toMatchObject({ ok: false });
    }
  });
});
