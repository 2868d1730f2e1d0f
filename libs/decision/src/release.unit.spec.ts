import { dataHashOf } from './data-hash';
import type { Decision, Policy } from './decision';
import { releasedData } from './release';

/* Issue 12 item 6: an absence's reason is confidential; released only on consent, if the policy allows it at all. */

const policy: Policy = {
  id: 'p',
  version: '1',
  hash: 'h',
  necessity: { curator: ['absences'], psychologist: [], nurse: [], doctor: [] },
  emergency: { categories: ['identification', 'guardian_contacts'], windowMinutes: 60 },
  requireWelfareAccessActivation: false,
  consentFrom: 'any_guardian',
  minJustificationLength: 1,
};
const onConsent: Policy = { ...policy, absenceReasons: 'on_consent' };
const never: Policy = { ...policy, absenceReasons: 'never' };

const records = {
  absences: [
    { recordId: 'r1', date: '2026-02-02', hours: 2, reason: 'illness' },
    { recordId: 'r2', date: '2026-02-09', hours: 1 },
  ],
  detentions: [{ recordId: 'r3', date: '2026-02-03', reason: 'fighting' }],
};
const permittedOn = (reason: 'consent_given' | 'necessary_for_case'): Decision => ({
  outcome: 'permit',
  categories: [
    { category: 'absences', outcome: 'permit', reason },
    { category: 'detentions', outcome: 'permit', reason },
  ],
  flags: { supervision: reason === 'necessary_for_case', review: false },
});
const withoutReasons = { ...records, absences: [{ recordId: 'r1', date: '2026-02-02', hours: 2 }, { recordId: 'r2', date: '2026-02-09', hours: 1 }] };

describe('released absences', () => {
  it.each([
    ['by default (no policy choice)', policy, 'consent_given'],
    ['under absenceReasons: never, even on consent', never, 'consent_given'],
    ['under absenceReasons: on_consent, on necessity', onConsent, 'necessary_for_case'],
  ] as const)('leave without their reasons %s; other categories are untouched', (_name, p, reason) => {
    const released = releasedData(records, { decision: permittedOn(reason), policy: p });
    expect(released).toEqual(withoutReasons);
    expect(JSON.stringify(released)).not.toContain('illness');
    expect(dataHashOf(released)).toBe(dataHashOf(withoutReasons));
  });

  it('keep their reasons only under absenceReasons: on_consent and a consent permit', () => {
    expect(releasedData(records, { decision: permittedOn('consent_given'), policy: onConsent })).toEqual(records);
  });

  it('leave data without absences as it is', () => {
    expect(releasedData({ grades: [{ reason: 'x' }] }, { decision: permittedOn('consent_given'), policy })).toEqual({ grades: [{ reason: 'x' }] });
    expect(releasedData({}, { decision: permittedOn('consent_given'), policy })).toEqual({});
  });
});
