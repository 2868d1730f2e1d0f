import { signInternalToken } from '@silta/platform';
import { eventually } from '@silta/testing';
import { AnswerLog } from '../api-surface';
import { Client, type Answer, type StoreName } from './harness';
import { JUSTIFICATION, grantConsent, ok, requestDisclosure, startTwoOrgs, type Party, type TwoOrgs } from './fixtures-two-orgs';

/**
 * Object-level scope on every route (DESIGN §6 invariant 8; issue 10 acceptance): for each
 * operation of each app's /openapi.json, callers of the right role but the wrong object — another
 * student, school, welfare area, municipality or professional — are refused (403/404, never 2xx or
 * 5xx) and no app's event store gains a row; and the right role with the right object succeeds, so
 * the matrix cannot pass by refusing everything. A route without a row in `routes` fails the
 * coverage test.
 *
 * Two kinds of route answer a wrong object differently, by design:
 * - lists and reports (`filtered`) answer 2xx without the other organisation's objects (or 403/404);
 * - decisions (`denied`: POST /v1/disclosures, /explain) record a deny with its reason in the
 *   municipality's audit trail (DESIGN §3: every decision is recorded) and release nothing: at most
 *   one audit event on disclosure's store, nothing anywhere else (or 403/404 with no write at all).
 */

type Expect = 'refused' | 'filtered' | 'denied';

interface Attempt {
  /** Which wrong object this is, for the failure message. */
  readonly why: string;
  readonly as: Party | (() => Promise<Client>);
  /** Path with query, ids filled in. */
  readonly path: string;
  readonly body?: unknown;
  readonly expect?: Expect;
  /** Other 4xx statuses that are a refusal here too (e.g. 409 school_exists for an id another municipality holds). */
  readonly also?: readonly number[];
  /** Strings (ids, purposes) of the other organisation that must not appear in the answer. */
  readonly foreign?: readonly string[];
}

interface Control {
  readonly as: Party | (() => Promise<Client>);
  readonly path: string;
  readonly body?: unknown;
  /** Strings the answer must contain (so a filtered list is not merely empty). */
  readonly contains?: readonly string[];
  /** Called with the answer, e.g. to keep an id for a later route. */
  readonly then?: (answer: Answer) => void;
}

interface RouteCase {
  /** Why this route has no object to get wrong (public hashes, the whole log); then `wrong` is empty. */
  readonly noObject?: string;
  readonly wrong: readonly Attempt[];
  readonly right: readonly Control[];
}

interface Context {
  readonly f: TwoOrgs;
  /** Released identification (d1), emergency (e1) and necessity (n1) decisions of the W1 curator about student A1; d2, e2 of the W2 curator (same sub) about A2. */
  readonly d: Record<'d1' | 'e1' | 'n1' | 'd2' | 'e2', string>;
  /** The data hash of d1's answer, for its receipt. */
  readonly d1Hash: string;
  /** Consents: cA1 (guardian A1 → W1), cW / cP (guardian A1's spares to withdraw / pause and resume), cA2 (→ W2), cB1 (B1 → W2). */
  readonly c: Record<'cA1' | 'cW' | 'cP' | 'cA2' | 'cB1', string>;
  /** Set by the receipt's control: the receipt's audit event id on the welfare area's log. */
  receiptEventId?: string;
}

const routes: Record<string, (c: Context) => RouteCase | Promise<RouteCase>> = {
  // ─── roster ──────────────────────────────────────────────────────────────────────────────────
  'roster GET /health': () => ({ noObject: 'liveness, no data', wrong: [], right: [{ as: 'admin.A', path: '/health' }] }),
  'roster GET /health/ready': () => ({ noObject: 'readiness, no data', wrong: [], right: [{ as: 'admin.A', path: '/health/ready' }] }),
  'roster GET /health/live': () => ({ noObject: 'liveness, no data', wrong: [], right: [{ as: 'admin.A', path: '/health/live' }] }),
  'roster GET /metrics': () => ({ noObject: 'operational counters, no personal data (labels are route templates, outcomes, groups)', wrong: [], right: [{ as: 'admin.A', path: '/metrics' }] }),
  'roster GET /openapi.json': () => ({ noObject: 'the public API description', wrong: [], right: [{ as: 'admin.A', path: '/openapi.json' }] }),
  'roster POST /v1/schools': ({ f }) => ({
    wrong: [{ why: "another municipality's school id", as: 'admin.A', path: '/v1/schools', body: { schoolId: f.ids.school.B1, name: 'Kaapattu' }, also: [409] }],
    right: [{ as: 'admin.A', path: '/v1/schools', body: { schoolId: `school-a3-${f.ids.run}`, name: 'Uusi koulu' } }],
  }),
  'roster PUT /v1/schools/{schoolId}/service': ({ f }) => ({
    wrong: [
      { why: "another municipality's school", as: 'admin.A', path: `/v1/schools/${f.ids.school.B1}/service`, body: { welfareAreaId: f.ids.welfareArea.W1 } },
      { why: 'its own school, but as the sis (a service identity, not the school admin)', as: 'sis.A', path: `/v1/schools/${f.ids.school.A9}/service`, body: { welfareAreaId: f.ids.welfareArea.W1 } },
    ],
    right: [{ as: 'admin.A', path: `/v1/schools/${f.ids.school.A9}/service`, body: { welfareAreaId: f.ids.welfareArea.W1 } }],
  }),
  'roster POST /v1/students': ({ f }) => {
    const student = (n: string, schoolId: string) => ({ studentId: `student-${n}-${f.ids.run}`, schoolId, name: 'Uusi Oppilas', birthDate: '2013-01-02', group: '6A' });
    return {
      wrong: [
        { why: "another municipality's school", as: 'admin.A', path: '/v1/students', body: student('x1', f.ids.school.B1) },
        { why: "another municipality's school (sis)", as: 'sis.A', path: '/v1/students', body: student('x2', f.ids.school.B1) },
        { why: "another municipality's student id", as: 'admin.A', path: '/v1/students', body: { ...student('x3', f.ids.school.A1), studentId: f.ids.student.B1 }, also: [409] },
      ],
      right: [{ as: 'admin.A', path: '/v1/students', body: student('new', f.ids.school.A1) }],
    };
  },
  'roster POST /v1/students/{studentId}/transfer': ({ f }) => ({
    wrong: [
      { why: "another municipality's student", as: 'admin.A', path: `/v1/students/${f.ids.student.B1}/transfer`, body: { schoolId: f.ids.school.A1 } },
      { why: "another municipality's school", as: 'admin.A', path: `/v1/students/${f.ids.student.A1x}/transfer`, body: { schoolId: f.ids.school.B1 } },
    ],
    right: [{ as: 'admin.A', path: `/v1/students/${f.ids.student.A1x}/transfer`, body: { schoolId: f.ids.school.A2 } }],
  }),
  'roster POST /v1/students/{studentId}/guardians': ({ f }) => ({
    wrong: [
      { why: "another municipality's student", as: 'admin.A', path: `/v1/students/${f.ids.student.B1}/guardians`, body: { guardianId: `g-x-${f.ids.run}`, name: 'Vieras', contact: { phone: '+358401234567' } } },
    ],
    right: [{ as: 'admin.A', path: `/v1/students/${f.ids.student.A1b}/guardians`, body: { guardianId: `g-new-${f.ids.run}`, name: 'Uusi Huoltaja', contact: { phone: '+358401234567' } } }],
  }),
  'roster DELETE /v1/students/{studentId}/guardians/{guardianId}': ({ f }) => ({
    wrong: [
      { why: "another municipality's student", as: 'admin.A', path: `/v1/students/${f.ids.student.B1}/guardians/${f.ids.guardian.B1}` },
      { why: "another student's guardian", as: 'admin.A', path: `/v1/students/${f.ids.student.A1}/guardians/${f.ids.guardian.B1}`, also: [409] },
    ],
    right: [{ as: 'admin.A', path: `/v1/students/${f.ids.student.A1b}/guardians/${f.ids.guardian.A1b}` }],
  }),
  'roster PUT /v1/students/{studentId}/capacity': ({ f }) => ({
    wrong: [{ why: "another municipality's student", as: 'admin.A', path: `/v1/students/${f.ids.student.B1}/capacity`, body: { decidesForSelf: true } }],
    right: [{ as: 'admin.A', path: `/v1/students/${f.ids.student.A1b}/capacity`, body: { decidesForSelf: false } }],
  }),
  'roster PUT /v1/students/{studentId}/welfare-access': ({ f }) => ({
    wrong: [{ why: "another municipality's student", as: 'admin.A', path: `/v1/students/${f.ids.student.B1}/welfare-access`, body: { active: true } }],
    right: [{ as: 'admin.A', path: `/v1/students/${f.ids.student.A1b}/welfare-access`, body: { active: true } }],
  }),
  'roster PUT /v1/students/{studentId}/education': ({ f }) => ({
    wrong: [
      { why: "another municipality's student", as: 'admin.A', path: `/v1/students/${f.ids.student.B1}/education`, body: { educationForm: 'adult_upper_secondary', inCompulsoryEducation: false } },
      { why: 'its own student, but as the sis (a service identity, not the school admin)', as: 'sis.A', path: `/v1/students/${f.ids.student.A1b}/education`, body: { educationForm: 'adult_upper_secondary', inCompulsoryEducation: false } },
    ],
    right: [{ as: 'admin.A', path: `/v1/students/${f.ids.student.A1b}/education`, body: { educationForm: 'basic_education', inCompulsoryEducation: false } }],
  }),
  'roster POST /v1/assignments': ({ f }) => {
    const body = (n: string, welfareAreaId: string, schoolId: string, professionalId = f.ids.professional.W1.psychologist) => ({
      assignmentId: `asg-${n}-${f.ids.run}`, professionalId, role: 'psychologist', welfareAreaId, schoolId, validFrom: '2024-08-01',
    });
    return {
      wrong: [
        { why: 'a school its welfare area does not serve (another municipality)', as: 'welfareAdmin.W1', path: '/v1/assignments', body: body('x1', f.ids.welfareArea.W1, f.ids.school.B1), also: [409] },
        { why: 'a school its welfare area does not serve (same municipality)', as: 'welfareAdmin.W1', path: '/v1/assignments', body: body('x2', f.ids.welfareArea.W1, f.ids.school.A2), also: [409] },
        { why: 'another welfare area', as: 'welfareAdmin.W1', path: '/v1/assignments', body: body('x3', f.ids.welfareArea.W2, f.ids.school.A2, f.ids.professional.W2.psychologist) },
        { why: 'a school no welfare area serves', as: 'welfareAdmin.W1', path: '/v1/assignments', body: body('x4', f.ids.welfareArea.W1, `school-a3-${f.ids.run}`), also: [409] },
      ],
      right: [{ as: 'welfareAdmin.W1', path: '/v1/assignments', body: body('new', f.ids.welfareArea.W1, f.ids.school.A1) }],
    };
  },
  'roster DELETE /v1/assignments/{assignmentId}': ({ f }) => ({
    wrong: [
      { why: "another welfare area's assignment", as: 'welfareAdmin.W1', path: `/v1/assignments/${f.ids.assignment['W2.nurse']}` },
      { why: "another welfare area's assignment in another municipality", as: 'welfareAdmin.W1', path: `/v1/assignments/${f.ids.assignment['W2.nurse.B1']}` },
    ],
    right: [{ as: 'welfareAdmin.W1', path: `/v1/assignments/${f.ids.assignment['W1.nurse.spare']}` }],
  }),
  // Issue 18's lists: another organisation's objects are never in them.
  'roster GET /v1/schools': ({ f }) => ({
    wrong: [{ why: "another municipality's schools", as: 'admin.B', path: '/v1/schools', expect: 'filtered', foreign: [f.ids.school.A1, f.ids.school.A2, f.ids.school.A9] }],
    right: [
      { as: 'admin.A', path: '/v1/schools', contains: [f.ids.school.A1, f.ids.school.A2, f.ids.school.A9] },
      { as: 'admin.B', path: '/v1/schools', contains: [f.ids.school.B1] },
    ],
  }),
  'roster GET /v1/schools/{schoolId}/students': ({ f }) => ({
    wrong: [
      { why: "another municipality's school", as: 'admin.A', path: `/v1/schools/${f.ids.school.B1}/students` },
      { why: "another municipality's school, as its neighbour's admin", as: 'admin.B', path: `/v1/schools/${f.ids.school.A1}/students` },
      { why: "the welfare admin of the school's serving area", as: 'welfareAdmin.W1', path: `/v1/schools/${f.ids.school.A1}/students` },
    ],
    right: [{ as: 'admin.A', path: `/v1/schools/${f.ids.school.A1}/students`, contains: [f.ids.student.A1, f.ids.student.A1b] }],
  }),
  'roster GET /v1/assignments': ({ f }) => ({
    wrong: [
      { why: "another welfare area's assignments", as: 'welfareAdmin.W1', path: '/v1/assignments', expect: 'filtered', foreign: [f.ids.assignment['W2.nurse']!, f.ids.assignment['W2.nurse.B1']!] },
      { why: "another welfare area's assignments at its school", as: 'welfareAdmin.W1', path: `/v1/assignments?schoolId=${f.ids.school.B1}`, expect: 'filtered', foreign: [f.ids.assignment['W2.curator.B1']!] },
      { why: "another welfare area's assignments, the other way", as: 'welfareAdmin.W2', path: '/v1/assignments', expect: 'filtered', foreign: [f.ids.assignment['W1.curator']!] },
    ],
    right: [
      { as: 'welfareAdmin.W1', path: '/v1/assignments', contains: [f.ids.assignment['W1.curator']!] },
      { as: 'welfareAdmin.W2', path: `/v1/assignments?schoolId=${f.ids.school.B1}`, contains: [f.ids.assignment['W2.curator.B1']!] },
    ],
  }),
  'roster POST /v1/students/{studentId}/records': ({ f }) => {
    const record = (n: string) => ({ recordId: `rec-${n}-${f.ids.run}`, category: 'grades', date: '2026-02-02', subject: 'mathematics', grade: '9' });
    return {
      wrong: [
        { why: "another municipality's student", as: 'sis.A', path: `/v1/students/${f.ids.student.B1}/records`, body: record('x1') },
        { why: 'records only through sis (school_admin of the same municipality)', as: 'admin.A', path: `/v1/students/${f.ids.student.A1}/records`, body: record('x2') },
      ],
      right: [{ as: 'sis.A', path: `/v1/students/${f.ids.student.A1}/records`, body: record('new') }],
    };
  },
  'roster GET /internal/v1/students/{studentId}/records': ({ f }) => {
    const service = (caller: string, audience: 'roster' | 'consent' = 'roster') => async () => Client.raw(await signInternalToken(f.secrets.INTERNAL_TOKEN_SECRET, caller, { audience }));
    const path = `/internal/v1/students/${f.ids.student.A1}/records?categories=identification,absences`;
    return {
      wrong: [
        { why: "another service's token (consent reads no records)", as: service('consent'), path },
        { why: "disclosure's token for another service's internal endpoints", as: service('disclosure', 'consent'), path, also: [401] },
        { why: "a professional's user token, even one assigned to the student", as: 'curator.W1', path, also: [401] },
      ],
      right: [{ as: service('disclosure'), path, contains: [f.ids.student.A1] }],
    };
  },
  'roster GET /internal/v1/students/{studentId}/standing': ({ f }) => {
    const service = (caller: string, audience: 'roster' | 'consent' = 'roster') => async () => Client.raw(await signInternalToken(f.secrets.INTERNAL_TOKEN_SECRET, caller, { audience }));
    const path = `/internal/v1/students/${f.ids.student.A1}/standing`;
    return {
      wrong: [
        { why: "another service's token (receipts reads no standing)", as: service('receipts'), path },
        { why: "disclosure's token for another service's internal endpoints", as: service('disclosure', 'consent'), path, also: [401] },
        { why: "consent's token for another service's internal endpoints", as: service('consent', 'consent'), path, also: [401] },
        { why: "a professional's user token, even one assigned to the student", as: 'curator.W1', path, also: [401] },
      ],
      // Consent reads the birth date too (who may grant: custody ends at 18).
      right: [
        { as: service('disclosure'), path, contains: ['basic_education'] },
        { as: service('consent'), path, contains: ['basic_education'] },
      ],
    };
  },

  // ─── consent ─────────────────────────────────────────────────────────────────────────────────
  'consent GET /health': () => ({ noObject: 'liveness, no data', wrong: [], right: [{ as: 'guardian.A1', path: '/health' }] }),
  'consent GET /health/ready': () => ({ noObject: 'readiness, no data', wrong: [], right: [{ as: 'guardian.A1', path: '/health/ready' }] }),
  'consent GET /health/live': () => ({ noObject: 'liveness, no data', wrong: [], right: [{ as: 'guardian.A1', path: '/health/live' }] }),
  'consent GET /metrics': () => ({ noObject: 'operational counters, no personal data (labels are route templates, outcomes, groups)', wrong: [], right: [{ as: 'guardian.A1', path: '/metrics' }] }),
  'consent GET /openapi.json': () => ({ noObject: 'the public API description', wrong: [], right: [{ as: 'guardian.A1', path: '/openapi.json' }] }),
  'consent POST /v1/consents': ({ f }) => {
    const body = (studentId: string) => ({ studentId, categories: ['absences'], recipient: { welfareAreaId: f.ids.welfareArea.W1 }, purpose: 'attendance follow-up' });
    return {
      wrong: [
        { why: "another student (of another municipality)", as: 'guardian.A1', path: '/v1/consents', body: body(f.ids.student.B1) },
        { why: 'another student (same school)', as: 'guardian.A1', path: '/v1/consents', body: body(f.ids.student.A1b) },
        { why: 'another student, as a student', as: 'student.A1', path: '/v1/consents', body: body(f.ids.student.B1) },
      ],
      right: [{ as: 'guardian.A1', path: '/v1/consents', body: body(f.ids.student.A1) }],
    };
  },
  'consent POST /v1/consents/{consentId}/withdraw': ({ c }) => ({
    wrong: [
      { why: "another student's guardian", as: 'guardian.B1', path: `/v1/consents/${c.cA1}/withdraw`, body: {} },
      { why: 'another student', as: 'student.B1', path: `/v1/consents/${c.cA1}/withdraw`, body: {} },
      { why: "a guardian of another municipality's consent", as: 'guardian.A1', path: `/v1/consents/${c.cB1}/withdraw`, body: {} },
    ],
    right: [{ as: 'guardian.A1', path: `/v1/consents/${c.cW}/withdraw`, body: { reason: 'no longer needed' } }],
  }),
  'consent POST /v1/consents/{consentId}/pause': ({ c }) => ({
    wrong: [
      { why: "another student's guardian", as: 'guardian.B1', path: `/v1/consents/${c.cP}/pause`, body: {} },
      { why: 'another student', as: 'student.A2', path: `/v1/consents/${c.cP}/pause`, body: {} },
    ],
    right: [{ as: 'guardian.A1', path: `/v1/consents/${c.cP}/pause`, body: {} }],
  }),
  'consent POST /v1/consents/{consentId}/resume': ({ c }) => ({
    wrong: [
      { why: "another student's guardian", as: 'guardian.B1', path: `/v1/consents/${c.cP}/resume`, body: {} },
      { why: 'another student', as: 'student.A2', path: `/v1/consents/${c.cP}/resume`, body: {} },
    ],
    right: [{ as: 'guardian.A1', path: `/v1/consents/${c.cP}/resume`, body: {} }],
  }),
  'consent GET /v1/students/{studentId}/consents': ({ f, c }) => ({
    wrong: [
      { why: 'another student (of another municipality)', as: 'guardian.A1', path: `/v1/students/${f.ids.student.B1}/consents`, expect: 'filtered', foreign: [c.cB1] },
      { why: 'another student, as a student', as: 'student.B1', path: `/v1/students/${f.ids.student.A1}/consents`, expect: 'filtered', foreign: [c.cA1] },
    ],
    right: [{ as: 'guardian.A1', path: `/v1/students/${f.ids.student.A1}/consents`, contains: [c.cA1] }],
  }),
  'consent GET /v1/me/students': ({ f }) => ({
    wrong: [
      { why: "another student's guardian (of another municipality)", as: 'guardian.B1', path: '/v1/me/students', expect: 'filtered', foreign: [f.ids.student.A1, f.ids.student.A1b, f.ids.student.A2] },
      { why: "another student's guardian (same school)", as: 'guardian.A1b', path: '/v1/me/students', expect: 'filtered', foreign: [f.ids.student.A1] },
      { why: 'another student, as a student', as: 'student.A2', path: '/v1/me/students', expect: 'filtered', foreign: [f.ids.student.A1] },
    ],
    right: [
      { as: 'guardian.A1', path: '/v1/me/students', contains: [f.ids.student.A1] },
      { as: 'student.A1', path: '/v1/me/students', contains: [f.ids.student.A1] },
    ],
  }),
  'consent PUT /v1/students/{studentId}/guardian-visibility': ({ f }) => {
    const body = { hiddenRoles: ['curator'] };
    return {
      wrong: [
        { why: "a student of another municipality's school", as: 'curator.W1', path: `/v1/students/${f.ids.student.B1}/guardian-visibility`, body },
        { why: 'a student of a school the curator is not assigned to', as: 'psychologist.W1', path: `/v1/students/${f.ids.student.A2}/guardian-visibility`, body },
        { why: 'another welfare area (the same sub as the assigned curator)', as: 'curator.W2', path: `/v1/students/${f.ids.student.A1}/guardian-visibility`, body },
        { why: 'another student, as a student', as: 'student.B1', path: `/v1/students/${f.ids.student.A1}/guardian-visibility`, body },
      ],
      right: [
        { as: 'curator.W1', path: `/v1/students/${f.ids.student.A1}/guardian-visibility`, body },
        { as: 'student.A1', path: `/v1/students/${f.ids.student.A1}/guardian-visibility`, body: { hiddenRoles: ['curator', 'psychologist'] } },
      ],
    };
  },
  'consent GET /v1/students/{studentId}/guardian-visibility': ({ f }) => ({
    wrong: [
      { why: "a student of another municipality's school", as: 'curator.W1', path: `/v1/students/${f.ids.student.B1}/guardian-visibility` },
      { why: 'a student of a school the psychologist is not assigned to', as: 'psychologist.W1', path: `/v1/students/${f.ids.student.A2}/guardian-visibility` },
      { why: 'another welfare area (the same sub as the assigned curator)', as: 'curator.W2', path: `/v1/students/${f.ids.student.A1}/guardian-visibility` },
      { why: 'another student, as a student', as: 'student.B1', path: `/v1/students/${f.ids.student.A1}/guardian-visibility` },
    ],
    right: [
      { as: 'psychologist.W1', path: `/v1/students/${f.ids.student.A1}/guardian-visibility` },
      { as: 'student.A1', path: `/v1/students/${f.ids.student.A1}/guardian-visibility` },
    ],
  }),
  // After the declarations above: A1's ban on curator and psychologist disclosures is in force. Upheld, so it stays for the routes below.
  'consent POST /v1/students/{studentId}/guardian-visibility/assessment': ({ f }) => {
    const body = { outcome: 'upheld', why: 'The ban does not clearly conflict with the interest of the child.' };
    const path = (student: string) => `/v1/students/${student}/guardian-visibility/assessment`;
    return {
      wrong: [
        { why: "a student of another municipality's school", as: 'nurse.W1', path: path(f.ids.student.B1), body },
        { why: 'a student of a school the nurse is not assigned to', as: 'nurse.W1', path: path(f.ids.student.A2), body },
        { why: 'another welfare area', as: 'doctor.W2', path: path(f.ids.student.A1), body },
        { why: "the student's own curator (not a health-care professional)", as: 'curator.W1', path: path(f.ids.student.A1), body },
        { why: 'the student themself', as: 'student.A1', path: path(f.ids.student.A1), body },
      ],
      right: [{ as: 'nurse.W1', path: path(f.ids.student.A1), body }],
    };
  },

  // Capacity per field (issue 12 item 4). The control records "does not decide", so no later route's consent changes hands.
  'consent PUT /v1/students/{studentId}/capacity/{field}': ({ f }) => {
    const body = { decidesForSelf: false, assessedOn: new Date().toISOString().slice(0, 10) };
    const path = (student: string, field = 'health_care') => `/v1/students/${student}/capacity/${field}`;
    return {
      wrong: [
        { why: "a student of another municipality's school", as: 'nurse.W1', path: path(f.ids.student.B1), body },
        { why: 'a student of a school the nurse is not assigned to', as: 'nurse.W1', path: path(f.ids.student.A2), body },
        { why: 'another welfare area', as: 'nurse.W2', path: path(f.ids.student.A1), body },
        { why: "another field (a curator's is social welfare)", as: 'curator.W1', path: path(f.ids.student.A1), body },
        { why: 'the student themself', as: 'student.A1', path: path(f.ids.student.A1), body },
        { why: "the student's guardian", as: 'guardian.A1', path: path(f.ids.student.A1), body },
      ],
      right: [
        { as: 'nurse.W1', path: path(f.ids.student.A1), body },
        { as: 'curator.W1', path: path(f.ids.student.A1, 'social_welfare'), body },
      ],
    };
  },
  'consent GET /v1/students/{studentId}/capacity': ({ f }) => ({
    wrong: [
      { why: "a student of another municipality's school", as: 'curator.W1', path: `/v1/students/${f.ids.student.B1}/capacity` },
      { why: 'a student of a school the nurse is not assigned to', as: 'nurse.W1', path: `/v1/students/${f.ids.student.A2}/capacity` },
      { why: 'another welfare area (the same sub as the assigned curator)', as: 'curator.W2', path: `/v1/students/${f.ids.student.A1}/capacity` },
      { why: 'another student, as a student', as: 'student.B1', path: `/v1/students/${f.ids.student.A1}/capacity` },
      { why: "the student's guardian", as: 'guardian.A1', path: `/v1/students/${f.ids.student.A1}/capacity` },
    ],
    right: [
      { as: 'doctor.W1', path: `/v1/students/${f.ids.student.A1}/capacity`, contains: ['health_care'] },
      { as: 'student.A1', path: `/v1/students/${f.ids.student.A1}/capacity`, contains: ['social_welfare'] },
    ],
  }),

  // ─── disclosure ──────────────────────────────────────────────────────────────────────────────
  'disclosure GET /health': () => ({ noObject: 'liveness, no data', wrong: [], right: [{ as: 'curator.W1', path: '/health' }] }),
  'disclosure GET /health/ready': () => ({ noObject: 'readiness, no data', wrong: [], right: [{ as: 'curator.W1', path: '/health/ready' }] }),
  'disclosure GET /health/live': () => ({ noObject: 'liveness, no data', wrong: [], right: [{ as: 'curator.W1', path: '/health/live' }] }),
  'disclosure GET /metrics': () => ({ noObject: 'operational counters, no personal data (labels are route templates, outcomes, groups)', wrong: [], right: [{ as: 'curator.W1', path: '/metrics' }] }),
  'disclosure GET /openapi.json': () => ({ noObject: 'the public API description', wrong: [], right: [{ as: 'curator.W1', path: '/openapi.json' }] }),
  'disclosure POST /v1/disclosures': ({ f }) => decisionCase(f, '/v1/disclosures'),
  'disclosure POST /v1/disclosures/explain': ({ f }) => decisionCase(f, '/v1/disclosures/explain'),
  'disclosure GET /v1/disclosures': ({ d }) => ({
    wrong: [{ why: 'another welfare area, the same sub', as: 'curator.W2', path: '/v1/disclosures', expect: 'filtered', foreign: [d.d1, d.e1, d.n1] }],
    right: [
      { as: 'curator.W1', path: '/v1/disclosures', contains: [d.d1, d.e1, d.n1] },
      { as: 'curator.W2', path: '/v1/disclosures', contains: [d.d2, d.e2] },
    ],
  }),
  'disclosure GET /v1/me/students': ({ f }) => ({
    wrong: [
      { why: 'another welfare area, the same sub as the assigned curator', as: 'curator.W2', path: '/v1/me/students', expect: 'filtered', foreign: [f.ids.student.A1, f.ids.student.A1b] },
      { why: "students of schools only another welfare area is assigned to", as: 'curator.W1', path: '/v1/me/students', expect: 'filtered', foreign: [f.ids.student.A2, f.ids.student.B1] },
    ],
    right: [
      { as: 'curator.W1', path: '/v1/me/students', contains: [f.ids.student.A1, f.ids.student.A1b] },
      { as: 'curator.W2', path: '/v1/me/students', contains: [f.ids.student.A2, f.ids.student.B1] },
    ],
  }),
  'disclosure GET /v1/disclosures/{disclosureId}': ({ d }) => ({
    wrong: [
      { why: 'another welfare area, the same sub', as: 'curator.W2', path: `/v1/disclosures/${d.d1}` },
      { why: 'another professional of the same welfare area and school', as: 'psychologist.W1', path: `/v1/disclosures/${d.d1}` },
      { why: "another welfare area's auditor", as: 'auditor.W2', path: `/v1/disclosures/${d.d1}` },
      { why: "another municipality's auditor", as: 'auditor.B', path: `/v1/disclosures/${d.d1}` },
    ],
    right: [
      { as: 'curator.W1', path: `/v1/disclosures/${d.d1}`, contains: [d.d1] },
      { as: 'auditor.W1', path: `/v1/disclosures/${d.d1}`, contains: [d.d1] },
      { as: 'auditor.A', path: `/v1/disclosures/${d.d1}`, contains: [d.d1] },
    ],
  }),
  'disclosure GET /v1/students/{studentId}/disclosure-log': ({ f, d }) => ({
    wrong: [
      { why: "another student's guardian", as: 'guardian.B1', path: `/v1/students/${f.ids.student.A1}/disclosure-log`, expect: 'filtered', foreign: [d.d1] },
      { why: 'another student', as: 'student.A2', path: `/v1/students/${f.ids.student.A1}/disclosure-log`, expect: 'filtered', foreign: [d.d1] },
    ],
    right: [
      { as: 'guardian.A1', path: `/v1/students/${f.ids.student.A1}/disclosure-log` },
      { as: 'student.A1', path: `/v1/students/${f.ids.student.A1}/disclosure-log`, contains: [d.d1] },
    ],
  }),
  'disclosure GET /v1/audit/disclosures': ({ f, d }) => ({
    wrong: [
      { why: "another welfare area's decisions", as: 'auditor.W2', path: '/v1/audit/disclosures', expect: 'filtered', foreign: [d.d1, d.e1, d.n1] },
      { why: "another welfare area's decisions, by student", as: 'auditor.W2', path: `/v1/audit/disclosures?studentId=${f.ids.student.A1}`, expect: 'filtered', foreign: [d.d1, d.e1, d.n1] },
      { why: "another welfare area's decisions, by professional (the same sub)", as: 'auditor.W2', path: `/v1/audit/disclosures?professionalId=${f.ids.professional.W1.curator}`, expect: 'filtered', foreign: [d.d1, d.e1, d.n1] },
      { why: "another municipality's students", as: 'auditor.B', path: '/v1/audit/disclosures', expect: 'filtered', foreign: [d.d1, d.e1, d.n1, d.d2, d.e2] },
    ],
    right: [
      { as: 'auditor.W1', path: '/v1/audit/disclosures', contains: [d.d1, d.e1, d.n1] },
      { as: 'auditor.A', path: '/v1/audit/disclosures', contains: [d.d1, d.d2] },
    ],
  }),
  'disclosure GET /v1/audit/supervision': ({ d }) => ({
    wrong: [
      { why: "another welfare area's necessity decisions", as: 'auditor.W2', path: '/v1/audit/supervision', expect: 'filtered', foreign: [d.n1] },
      { why: "another municipality's students", as: 'auditor.B', path: '/v1/audit/supervision', expect: 'filtered', foreign: [d.n1] },
    ],
    right: [
      { as: 'auditor.W1', path: '/v1/audit/supervision', contains: [d.n1] },
      { as: 'auditor.A', path: '/v1/audit/supervision', contains: [d.n1] },
    ],
  }),
  'disclosure GET /v1/audit/emergency-reviews': ({ d }) => ({
    wrong: [
      { why: "another welfare area's emergencies", as: 'auditor.W2', path: '/v1/audit/emergency-reviews?status=all', expect: 'filtered', foreign: [d.e1] },
      { why: "another municipality's students", as: 'auditor.B', path: '/v1/audit/emergency-reviews?status=all', expect: 'filtered', foreign: [d.e1, d.e2] },
    ],
    right: [
      { as: 'auditor.W1', path: '/v1/audit/emergency-reviews', contains: [d.e1] },
      { as: 'auditor.A', path: '/v1/audit/emergency-reviews', contains: [d.e1, d.e2] },
    ],
  }),
  'disclosure POST /v1/audit/emergency-reviews/{disclosureId}': ({ d }) => ({
    wrong: [
      { why: "another welfare area's emergency", as: 'auditor.W2', path: `/v1/audit/emergency-reviews/${d.e1}`, body: { outcome: 'unjustified' } },
      { why: "another municipality's student's emergency", as: 'auditor.B', path: `/v1/audit/emergency-reviews/${d.e1}`, body: { outcome: 'unjustified' } },
    ],
    // each organisation reviews for itself: the welfare area's review does not lock out the controller's
    right: [
      { as: 'auditor.W1', path: `/v1/audit/emergency-reviews/${d.e1}`, body: { outcome: 'justified' } },
      { as: 'auditor.A', path: `/v1/audit/emergency-reviews/${d.e1}`, body: { outcome: 'justified', note: 'the controller agrees' } },
    ],
  }),
  'disclosure GET /v1/students/{studentId}/data-subject-report': ({ f, d }) => ({
    wrong: [
      { why: "another student's guardian", as: 'guardian.B1', path: `/v1/students/${f.ids.student.A1}/data-subject-report?format=json`, expect: 'filtered', foreign: [d.d1] },
      { why: 'another student', as: 'student.A2', path: `/v1/students/${f.ids.student.A1}/data-subject-report?format=json`, expect: 'filtered', foreign: [d.d1] },
      { why: "another welfare area's auditor", as: 'auditor.W2', path: `/v1/students/${f.ids.student.A1}/data-subject-report?format=json`, expect: 'filtered', foreign: [d.d1, d.e1, d.n1] },
      { why: "another municipality's auditor", as: 'auditor.B', path: `/v1/students/${f.ids.student.A1}/data-subject-report?format=json`, expect: 'filtered', foreign: [d.d1, d.e1, d.n1] },
    ],
    right: [
      { as: 'student.A1', path: `/v1/students/${f.ids.student.A1}/data-subject-report?format=json` },
      { as: 'guardian.A1', path: `/v1/students/${f.ids.student.A1}/data-subject-report?format=json` },
      { as: 'auditor.A', path: `/v1/students/${f.ids.student.A1}/data-subject-report?format=json` },
    ],
  }),
  'disclosure GET /v1/audit/log/key': () => ({ noObject: 'the public verifier key', wrong: [], right: [{ as: 'auditor.W1', path: '/v1/audit/log/key' }] }),
  'disclosure POST /v1/audit/log/checkpoints': () => ({ noObject: "a signed checkpoint of the whole log: a size and a root hash, nobody's data", wrong: [], right: [{ as: 'auditor.W1', path: '/v1/audit/log/checkpoints' }] }),
  'disclosure GET /v1/audit/log/checkpoints/latest': () => ({ noObject: 'the latest checkpoint: a size and a root hash', wrong: [], right: [{ as: 'auditor.W2', path: '/v1/audit/log/checkpoints/latest' }] }),
  'disclosure GET /v1/audit/log/proof/{eventId}': ({ d }) => ({
    wrong: [
      { why: "another welfare area's decision", as: 'auditor.W2', path: `/v1/audit/log/proof/${d.d1}` },
      { why: "another municipality's student's decision", as: 'auditor.B', path: `/v1/audit/log/proof/${d.d1}` },
    ],
    right: [
      { as: 'auditor.W1', path: `/v1/audit/log/proof/${d.d1}` },
      { as: 'auditor.W2', path: `/v1/audit/log/proof/${d.d2}` },
    ],
  }),
  'disclosure GET /v1/audit/log/consistency': async ({ f }) => ({
    noObject: 'hashes between two tree sizes, public for the witness',
    wrong: [],
    right: [{ as: 'auditor.W1', path: `/v1/audit/log/consistency?from=1&to=${await latestSize(f, 'disclosure')}` }],
  }),
  'disclosure GET /v1/audit/log/witness': () => ({ noObject: "the log's witnessing state (checkpoints and cosignatures)", wrong: [], right: [{ as: 'auditor.W1', path: '/v1/audit/log/witness' }] }),
  'disclosure GET /v1/audit/log/state': () => ({
    wrong: [
      { why: "another municipality's auditor (the log is municipality A's)", as: 'auditor.B', path: '/v1/audit/log/state' },
      { why: "a welfare area's auditor (its own log is receipts')", as: 'auditor.W1', path: '/v1/audit/log/state' },
    ],
    right: [{ as: 'auditor.A', path: '/v1/audit/log/state', contains: ['logSize', 'cosignatures', 'alarms'] }],
  }),
  'disclosure GET /v1/audit/log/bundle': ({ f, d, c }) => ({
    wrong: [
      { why: "another welfare area's disclosure", as: 'auditor.W2', path: `/v1/audit/log/bundle?disclosureId=${d.d1}`, expect: 'filtered', foreign: [d.d1, c.cA1] },
      { why: "a student of another welfare area's school", as: 'auditor.W2', path: `/v1/audit/log/bundle?studentId=${f.ids.student.A1}`, expect: 'filtered', foreign: [d.d1, d.e1, d.n1, c.cA1] },
      { why: "another municipality's student", as: 'auditor.B', path: `/v1/audit/log/bundle?studentId=${f.ids.student.A1}`, expect: 'filtered', foreign: [d.d1, d.e1, d.n1, c.cA1] },
      { why: 'another student, as a student', as: 'student.A2', path: `/v1/audit/log/bundle?studentId=${f.ids.student.A1}` },
      { why: "a disclosure about another student, as a student", as: 'student.A2', path: `/v1/audit/log/bundle?disclosureId=${d.d1}` },
    ],
    right: [
      { as: 'auditor.W1', path: `/v1/audit/log/bundle?disclosureId=${d.d1}`, contains: [d.d1] },
      { as: 'auditor.A', path: `/v1/audit/log/bundle?studentId=${f.ids.student.A1}`, contains: [d.d1, d.e1] },
      { as: 'student.A1', path: `/v1/audit/log/bundle?studentId=${f.ids.student.A1}`, contains: [d.d1, d.e1] },
    ],
  }),
  'disclosure GET /v1/audit/receipts/missing': ({ d }) => ({
    wrong: [
      { why: "another welfare area's releases", as: 'auditor.W2', path: '/v1/audit/receipts/missing', expect: 'filtered', foreign: [d.d1] },
      { why: "another municipality's students", as: 'auditor.B', path: '/v1/audit/receipts/missing', expect: 'filtered', foreign: [d.d1, d.d2] },
    ],
    right: [
      { as: 'auditor.W1', path: '/v1/audit/receipts/missing', contains: [d.d1] },
      { as: 'auditor.A', path: '/v1/audit/receipts/missing', contains: [d.d1, d.d2] },
    ],
  }),

  // ─── receipts (the welfare area's service) ──────────────────────────────────────────────────
  'receipts GET /health': () => ({ noObject: 'liveness, no data', wrong: [], right: [{ as: 'curator.W1', path: '/health' }] }),
  'receipts GET /health/ready': () => ({ noObject: 'readiness, no data', wrong: [], right: [{ as: 'curator.W1', path: '/health/ready' }] }),
  'receipts GET /health/live': () => ({ noObject: 'liveness, no data', wrong: [], right: [{ as: 'curator.W1', path: '/health/live' }] }),
  'receipts GET /metrics': () => ({ noObject: 'operational counters, no personal data (labels are route templates, outcomes, groups)', wrong: [], right: [{ as: 'curator.W1', path: '/metrics' }] }),
  'receipts GET /openapi.json': () => ({ noObject: 'the public API description', wrong: [], right: [{ as: 'curator.W1', path: '/openapi.json' }] }),
  'receipts GET /v1/receipts/missing': ({ d }) => ({
    wrong: [
      { why: "another welfare area's releases", as: 'auditor.W2', path: '/v1/receipts/missing', expect: 'filtered', foreign: [d.d1] },
      { why: "a municipality's auditor (not the welfare area's report)", as: 'auditor.B', path: '/v1/receipts/missing', expect: 'filtered', foreign: [d.d1, d.d2] },
    ],
    right: [
      { as: 'auditor.W1', path: '/v1/receipts/missing', contains: [d.d1] },
      { as: 'auditor.W2', path: '/v1/receipts/missing', contains: [d.d2] },
    ],
  }),
  'receipts POST /v1/disclosures/{disclosureId}/receipt': (c) => {
    const body = { receivedCategories: ['identification'], dataHash: c.d1Hash };
    return {
      wrong: [
        { why: 'another welfare area, the same sub', as: 'curator.W2', path: `/v1/disclosures/${c.d.d1}/receipt`, body },
        { why: 'another professional of the same welfare area', as: 'psychologist.W1', path: `/v1/disclosures/${c.d.d1}/receipt`, body },
      ],
      right: [{ as: 'curator.W1', path: `/v1/disclosures/${c.d.d1}/receipt`, body, then: (answer) => (c.receiptEventId = answer.body.audit.eventId as string) }],
    };
  },
  'receipts GET /v1/audit/log/key': () => ({ noObject: 'the public verifier key', wrong: [], right: [{ as: 'auditor.W1', path: '/v1/audit/log/key' }] }),
  'receipts POST /v1/audit/log/checkpoints': () => ({ noObject: "a signed checkpoint of the whole log: a size and a root hash, nobody's data", wrong: [], right: [{ as: 'auditor.W1', path: '/v1/audit/log/checkpoints' }] }),
  'receipts GET /v1/audit/log/checkpoints/latest': () => ({ noObject: 'the latest checkpoint: a size and a root hash', wrong: [], right: [{ as: 'auditor.W1', path: '/v1/audit/log/checkpoints/latest' }] }),
  'receipts GET /v1/audit/log/proof/{eventId}': (c) => ({
    wrong: [
      { why: "another welfare area's receipt", as: 'auditor.W2', path: `/v1/audit/log/proof/${c.receiptEventId ?? 'receipt-not-recorded'}` },
      { why: "a municipality's auditor of another municipality", as: 'auditor.B', path: `/v1/audit/log/proof/${c.receiptEventId ?? 'receipt-not-recorded'}` },
    ],
    right: [{ as: 'auditor.W1', path: `/v1/audit/log/proof/${c.receiptEventId ?? 'receipt-not-recorded'}` }],
  }),
  'receipts GET /v1/audit/log/consistency': async ({ f }) => ({
    noObject: 'hashes between two tree sizes, public for the witness',
    wrong: [],
    right: [{ as: 'auditor.W1', path: `/v1/audit/log/consistency?from=1&to=${await latestSize(f, 'receipts')}` }],
  }),
  'receipts GET /v1/audit/log/witness': () => ({ noObject: "the log's witnessing state", wrong: [], right: [{ as: 'auditor.W1', path: '/v1/audit/log/witness' }] }),
};

/** A decision (or an explanation) about the wrong student: denied with a reason and recorded, nothing released. */
function decisionCase(f: TwoOrgs, path: string): RouteCase {
  const body = (studentId: string, n: string) => ({ requestId: `req-${n}-${f.ids.run}-${path.length}`, studentId, categories: ['identification'], basis: 'identification', purpose: 'first meeting' });
  return {
    wrong: [
      { why: "a student of another welfare area's school (same municipality)", as: 'curator.W1', path, body: body(f.ids.student.A2, 'x1'), expect: 'denied' },
      { why: "another municipality's student", as: 'curator.W1', path, body: body(f.ids.student.B1, 'x2'), expect: 'denied' },
      { why: "another municipality's student, by a professional assigned to its school", as: 'curator.W2', path, body: body(f.ids.student.B1, 'x3'), expect: 'denied' },
      { why: 'another welfare area, the same sub as the assigned curator', as: 'curator.W2', path, body: body(f.ids.student.A1, 'x4'), expect: 'denied' },
    ],
    right: [{ as: 'curator.W1', path, body: body(f.ids.student.A1, 'ok') }],
  };
}

async function latestSize(f: TwoOrgs, app: 'disclosure' | 'receipts'): Promise<number> {
  const latest = await f.as['auditor.W1'].get(f.url(app, '/v1/audit/log/checkpoints/latest'));
  return latest.status === 200 ? Number(latest.body.size) : 1;
}

const operationKey = (app: string, method: string, path: string) => `${app} ${method.toUpperCase()} ${path}`;

describe('every route refuses the right role with the wrong object, and writes nothing', () => {
  let f: TwoOrgs;
  let context: Context;
  // Every refusal and control the matrix sees, to hold the declared statuses (test/fixtures/api-surface.json) to them.
  const answers = new AnswerLog();

  beforeAll(async () => {
    f = await startTwoOrgs('scope');
    answers.listen(Client, Object.fromEntries((['roster', 'consent', 'disclosure', 'receipts'] as const).map((app) => [app, f.url(app, '')])));
    const { ids } = f;
    const c = {
      cA1: (await grantConsent(f, 'guardian.A1', ids.student.A1, ids.welfareArea.W1)).consentId,
      cW: (await grantConsent(f, 'guardian.A1', ids.student.A1, ids.welfareArea.W1, ['grades'])).consentId,
      cP: (await grantConsent(f, 'guardian.A1', ids.student.A1, ids.welfareArea.W1, ['lesson_markings'])).consentId,
      cA2: (await grantConsent(f, 'guardian.A2', ids.student.A2, ids.welfareArea.W2)).consentId,
      cB1: (await grantConsent(f, 'guardian.B1', ids.student.B1, ids.welfareArea.W2)).consentId,
    };
    const decide = async (party: Party, studentId: string, body: Record<string, unknown>) => {
      const answer = ok(await requestDisclosure(f, party, studentId, body), `${party} ${String(body.basis)} about ${studentId}`);
      if (answer.body.outcome !== 'permit') throw new Error(`${party} ${String(body.basis)} about ${studentId}: expected permit, got ${JSON.stringify(answer.body)}`);
      return answer.body as { disclosureId: string; dataHash: string };
    };
    const identification = { categories: ['identification'], basis: 'identification' };
    const emergency = { categories: ['identification'], basis: 'emergency', justification: JUSTIFICATION };
    const d1 = await decide('curator.W1', ids.student.A1, identification);
    const d = {
      d1: d1.disclosureId,
      e1: (await decide('curator.W1', ids.student.A1, emergency)).disclosureId,
      n1: (await decide('curator.W1', ids.student.A1, { categories: ['absences'], basis: 'necessity', caseId: `case-${ids.run}`, justification: JUSTIFICATION })).disclosureId,
      d2: (await decide('curator.W2', ids.student.A2, identification)).disclosureId,
      e2: (await decide('curator.W2', ids.student.A2, emergency)).disclosureId,
    };
    context = { f, d, c, d1Hash: d1.dataHash };
    // the welfare area's receipts service learns of the releases from the municipality's topic
    await eventually(
      async () => (await f.query('receipts', 'SELECT 1 FROM released_disclosures WHERE disclosure_id = ANY($1)', [[d.d1, d.d2]])).length === 2,
      60_000,
      () => `receipts did not learn of the releases:\n${f.silta.apps.receipts!.output().slice(-2000)}`,
    );
  }, 300_000);

  afterAll(() => f?.stop(), 60_000);

  it('has a row for every operation of every app, and none for an operation no app serves', async () => {
    const served = new Set<string>();
    for (const app of ['roster', 'consent', 'disclosure', 'receipts'] as const) {
      const document = ok(await Client.raw(undefined).get(f.url(app, '/openapi.json')), `${app} /openapi.json`).body as { paths: Record<string, Record<string, unknown>> };
      for (const [path, operations] of Object.entries(document.paths)) for (const method of Object.keys(operations)) served.add(operationKey(app, method, path));
    }
    const listed = new Set(Object.keys(routes));
    expect([...served].filter((key) => !listed.has(key)).sort()).toEqual([]);
    expect([...listed].filter((key) => !served.has(key)).sort()).toEqual([]);
  });

  it('can fail: a permitted call and its write are reported, not passed', async () => {
    // the matrix is only as good as its judge: the positive control of POST /v1/schools, judged as a wrong-object attempt
    const attempt: Attempt = { why: 'self-check', as: 'admin.A', path: '/v1/schools', body: { schoolId: `school-check-${f.ids.run}`, name: 'Tarkistus' } };
    await f.quiesce();
    const before = await f.counts();
    const answer = await f.as['admin.A'].post(f.url('roster', attempt.path), attempt.body);
    const after = await f.counts();
    expect(judge(attempt, answer, before, after)).toMatch(/expected 403\/404, got 201 .*wrote: roster \+1/);
    expect(judge({ ...attempt, expect: 'filtered', foreign: [`school-check-${f.ids.run}`] }, answer, before, before)).toMatch(/with the other organisation's school-check/);
  });

  for (const key of Object.keys(routes)) {
    it(key, async () => {
      const [app, method] = key.split(' ') as [StoreName, string];
      const route = await routes[key]!(context);
      const failures: string[] = [];
      if (route.wrong.length === 0 && !route.noObject) failures.push('no wrong-object case and no reason why the route has no object');
      await f.quiesce();
      for (const attempt of route.wrong) {
        const client = typeof attempt.as === 'string' ? f.as[attempt.as] : await attempt.as();
        const who = typeof attempt.as === 'string' ? attempt.as : 'service token';
        const before = await f.counts();
        const answer = await client.call(method, f.url(app, attempt.path), attempt.body);
        const after = await f.counts();
        const problem = judge(attempt, answer, before, after);
        if (problem) failures.push(`${who} → ${attempt.why} (${attempt.path}): ${problem}`);
      }
      for (const control of route.right) {
        const client = typeof control.as === 'string' ? f.as[control.as] : await control.as();
        const answer = await client.call(method, f.url(app, control.path), control.body ?? (method === 'GET' || method === 'DELETE' ? undefined : {}));
        if (answer.status < 200 || answer.status > 299) {
          failures.push(`positive control ${typeof control.as === 'string' ? control.as : 'service token'} ${control.path}: expected 2xx, got ${answer.status} ${brief(answer)}`);
          continue;
        }
        const text = JSON.stringify(answer.body);
        for (const needed of control.contains ?? []) if (!text.includes(needed)) failures.push(`positive control ${control.path}: the answer lacks ${needed}: ${brief(answer)}`);
        control.then?.(answer);
      }
      if (failures.length) throw new Error(`${key}:\n  ${failures.join('\n  ')}`);
    });
  }

  // Last: it judges every answer the rows above saw.
  it('answers only the statuses and problem codes each route declares', () => {
    expect(answers.undeclared()).toEqual([]);
    expect(answers.size).toBeGreaterThan(100);
  });
});

/** Why an answer to a wrong-object attempt is not an acceptable refusal, or undefined when it is. */
function judge(attempt: Attempt, answer: Answer, before: Record<StoreName, number>, after: Record<StoreName, number>): string | undefined {
  const written = (Object.keys(before) as StoreName[]).filter((store) => after[store] !== before[store]).map((store) => `${store} +${after[store] - before[store]}`);
  if (answer.status >= 500) return `answered ${answer.status} ${brief(answer)}`;
  const refused = [403, 404, ...(attempt.also ?? [])].includes(answer.status);
  const expect = attempt.expect ?? 'refused';
  if (refused) return written.length ? `refused with ${answer.status} but wrote: ${written.join(', ')}` : undefined;
  const ok2xx = answer.status >= 200 && answer.status <= 299;
  if (expect === 'refused' || !ok2xx) return `expected 403/404${attempt.also?.length ? `/${attempt.also.join('/')}` : ''}, got ${answer.status} ${brief(answer)}${written.length ? `; wrote: ${written.join(', ')}` : ''}`;
  if (expect === 'filtered') {
    const text = JSON.stringify(answer.body);
    const leaked = (attempt.foreign ?? []).filter((s) => text.includes(s));
    if (leaked.length) return `answered ${answer.status} with the other organisation's ${leaked.join(', ')}`;
    return written.length ? `a read wrote: ${written.join(', ')}` : undefined;
  }
  // denied: a recorded deny, nothing released, nothing written but that one audit event
  const body = answer.body as { outcome?: string; data?: Record<string, unknown>; categories?: { outcome: string; reason: string }[] };
  if (body.outcome !== 'deny') return `expected a deny, got outcome ${body.outcome}: ${brief(answer)}`;
  if (body.data && Object.keys(body.data).length) return `a deny released data: ${JSON.stringify(body.data).slice(0, 300)}`;
  const elsewhere = (Object.keys(before) as StoreName[]).filter((store) => store !== 'disclosure' && after[store] !== before[store]);
  if (elsewhere.length || after.disclosure - before.disclosure > 1) return `a deny wrote more than its audit event: ${written.join(', ')}`;
  return undefined;
}

function brief(answer: Answer): string {
  return JSON.stringify(answer.body)?.slice(0, 300) ?? '';
}
