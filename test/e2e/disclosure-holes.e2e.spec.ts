import { randomUUID } from 'node:crypto';
import { eventually } from '@silta/testing';
import type { Answer } from './harness';
import { JUSTIFICATION, grantConsent, ok, requestDisclosure, startTwoOrgs, type TwoOrgs } from './fixtures-two-orgs';

// Issue 10's holes at disclosure, each reproduced as the attack or fault that was seen live, against
// the four apps as processes with two municipalities and two welfare areas (fixtures-two-orgs.ts).

jest.setTimeout(240_000);

describe('disclosure at the object level', () => {
  let f: TwoOrgs;
  const disclosure = (path: string) => f.url('disclosure', path);

  beforeAll(async () => {
    f = await startTwoOrgs('holes');
  });
  afterAll(() => f?.stop());

  /** Waits until disclosure's view holds a consent's state, so decisions see it. */
  async function viewHasConsent(consentId: string, status: string): Promise<void> {
    await eventually(
      async () => (await f.query<{ status: string }>('disclosure', 'SELECT status FROM dv_consents WHERE consent_id = $1', [consentId]))[0]?.status === status,
      60_000,
      () => `disclosure's view never saw consent ${consentId} ${status}`,
    );
  }

  /** The request as it was sent, so it can be sent again. */
  function asked(body: Record<string, unknown>, studentId: string) {
    return { requestId: randomUUID(), studentId, purpose: 'student welfare assessment', ...body };
  }
  const post = (party: Parameters<typeof requestDisclosure>[1], body: object): Promise<Answer> => f.as[party].post(disclosure('/v1/disclosures'), body);

  describe('item 1: a repeated requestId never releases what the recorded decision did not', () => {
    it('refuses a repeat once the guardian withdrew and the SIS added an absence, and writes nothing', async () => {
      const student = f.ids.student.A1;
      const consent = await grantConsent(f, 'guardian.A1', student, f.ids.welfareArea.W1, ['absences']);
      await viewHasConsent(consent.consentId, 'active');
      const request = asked({ categories: ['absences'], basis: 'consent' }, student);
      const first = ok(await post('curator.W1', request), 'the first request');
      expect(first.body.outcome).toBe('permit');
      expect(first.body.data.absences).toHaveLength(1);

      // the same request again, nothing changed: the same decision and exactly the same data
      const again = ok(await post('curator.W1', request), 'an identical repeat');
      expect(again.body).toMatchObject({ disclosureId: first.body.disclosureId, dataHash: first.body.dataHash });
      expect(again.body.data).toEqual(first.body.data);

      // the guardian withdraws; the SIS records a new absence
      const withdrawn = ok(await f.as['guardian.A1'].post(f.url('consent', `/v1/consents/${consent.consentId}/withdraw`), {}), 'withdraw');
      expect(withdrawn.status).toBe(200);
      ok(await f.as['sis.A'].post(f.url('roster', `/v1/students/${student}/records`), { recordId: `rec-new-${f.ids.run}`, category: 'absences', date: '2026-02-02', hours: 3 }), 'a new absence');
      await viewHasConsent(consent.consentId, 'withdrawn');

      const before = await f.quiesce();
      const replay = await post('curator.W1', request);
      expect(replay.status).toBe(409);
      expect(replay.body.code).toBe('decision_no_longer_holds');
      expect(JSON.stringify(replay.body)).not.toContain('2026-02-02');
      expect(await f.counts()).toEqual(before);
    });

    it('refuses a repeat whose data changed since, even while its basis still holds', async () => {
      const student = f.ids.student.A1b;
      const request = asked({ categories: ['identification', 'guardian_contacts'], basis: 'identification' }, student);
      const first = ok(await post('curator.W1', request), 'the first request');
      expect(first.body.outcome).toBe('permit');
      // the school admin links a second guardian: guardian contacts are now other data than was released
      ok(
        await f.as['admin.A'].post(f.url('roster', `/v1/students/${student}/guardians`), { guardianId: `g-second-${f.ids.run}`, name: 'Toinen Huoltaja', contact: { phone: '+358 40 000 0000' } }),
        'link a second guardian',
      );
      await eventually(
        async () => (await f.query('disclosure', 'SELECT 1 FROM dv_guardian_links WHERE student_id = $1 AND guardian_id = $2', [student, `g-second-${f.ids.run}`])).length === 1,
        60_000,
        () => 'the second guardian never reached disclosure',
      );
      const replay = await post('curator.W1', request);
      expect(replay.status).toBe(409);
      expect(replay.body.code).toBe('released_data_changed');
      expect(JSON.stringify(replay.body)).not.toContain('+358');
    });

    it('refuses a repeat after the assignment ended', async () => {
      const student = f.ids.student.A1;
      // W1's spare nurse assignment is the only one the test ends; the nurse's main assignment stays, so end both for this nurse
      const nurse = f.ids.professional.W1.nurse;
      const request = asked({ categories: ['identification'], basis: 'identification' }, student);
      ok(await post('nurse.W1', request), 'the first request');
      for (const key of ['W1.nurse', 'W1.nurse.spare']) {
        ok(await f.as['welfareAdmin.W1'].delete(f.url('roster', `/v1/assignments/${f.ids.assignment[key]}`)), `end ${key}`);
      }
      await eventually(
        async () => (await f.query<{ n: string }>('disclosure', 'SELECT count(*) AS n FROM dv_assignments WHERE professional_id = $1 AND NOT ended', [nurse]))[0]!.n === '0',
        60_000,
        () => 'the ended assignments never reached disclosure',
      );
      const replay = await post('nurse.W1', request);
      expect(replay.status).toBe(409);
      expect(replay.body.code).toBe('decision_no_longer_holds');
      expect(replay.body.data).toBeUndefined();
    });

    it('answers the same requestId with another body with 409, not the old answer', async () => {
      const request = asked({ categories: ['identification'], basis: 'identification' }, f.ids.student.A1);
      ok(await post('psychologist.W1', request), 'the first request');
      const before = await f.quiesce();
      for (const changed of [{ categories: ['identification', 'guardian_contacts'] }, { studentId: f.ids.student.A1b }, { purpose: 'something else' }]) {
        const answer = await post('psychologist.W1', { ...request, ...changed });
        expect([answer.status, answer.body.code]).toEqual([409, 'request_id_reused']);
      }
      expect(await f.counts()).toEqual(before);
    });
  });

  describe('item 3: identity is (organisation, subject)', () => {
    it("the same sub under another welfare area sees none of the first's decisions and cannot replay them", async () => {
      const request = asked({ categories: ['identification', 'guardian_contacts'], basis: 'identification' }, f.ids.student.A1);
      const w1 = ok(await post('curator.W1', request), "W1's curator");
      expect(w1.body.outcome).toBe('permit');
      expect(f.ids.professional.W1.curator).toBe(f.ids.professional.W2.curator);

      const mine = ok(await f.as['curator.W2'].get(disclosure('/v1/disclosures'))).body.disclosures as Array<{ disclosureId: string }>;
      expect(mine.map((d) => d.disclosureId)).not.toContain(w1.body.disclosureId);
      expect((await f.as['curator.W2'].get(disclosure(`/v1/disclosures/${w1.body.disclosureId}`))).status).toBe(404);
      // the same requestId from W2's curator is W2's own request, decided for W2 (which does not serve A1)
      const replayed = ok(await post('curator.W2', request), "W2's curator with W1's requestId");
      expect(replayed.body.disclosureId).not.toBe(w1.body.disclosureId);
      expect(replayed.body.outcome).toBe('deny');
      expect(replayed.body.data).toEqual({});
      // W1's curator still sees their own
      expect(ok(await f.as['curator.W1'].get(disclosure(`/v1/disclosures/${w1.body.disclosureId}`))).body.disclosureId).toBe(w1.body.disclosureId);
    });
  });

  describe("item 4: each organisation's auditor sees its own", () => {
    it("keeps another welfare area's consent and its purpose out of a decision, its bundle and its proofs", async () => {
      const student = f.ids.student.A1b;
      const theirs = await grantConsent(f, 'guardian.A1b', student, f.ids.welfareArea.W2, ['grades']);
      const ours = await grantConsent(f, 'guardian.A1b', student, f.ids.welfareArea.W1, ['grades']);
      await viewHasConsent(theirs.consentId, 'active');
      await viewHasConsent(ours.consentId, 'active');
      const decided = ok(await requestDisclosure(f, 'curator.W1', student, { categories: ['grades'], basis: 'consent' }));
      expect(decided.body.outcome).toBe('permit');

      const bundle = ok(await f.as['auditor.W1'].get(disclosure(`/v1/audit/log/bundle?disclosureId=${decided.body.disclosureId}`))).body;
      const text = JSON.stringify(bundle);
      expect(text).toContain(ours.consentId);
      expect(text).not.toContain(theirs.consentId);
      expect(text).not.toContain(f.ids.welfareArea.W2);
      const view = ok(await f.as['auditor.W1'].get(disclosure(`/v1/disclosures/${decided.body.disclosureId}`))).body;
      expect(JSON.stringify(view)).not.toContain(theirs.consentId);

      // inclusion proofs: the municipality's and the requester's auditors, not another welfare area's or municipality's
      for (const auditor of ['auditor.A', 'auditor.W1'] as const) {
        expect((await f.as[auditor].get(disclosure(`/v1/audit/log/proof/${decided.body.disclosureId}`))).status).toBe(200);
      }
      for (const auditor of ['auditor.W2', 'auditor.B'] as const) {
        const answer = await f.as[auditor].get(disclosure(`/v1/audit/log/proof/${decided.body.disclosureId}`));
        expect([answer.status, answer.body.code]).toEqual([404, 'not_in_audit_log']);
      }
    });
  });

  describe('item 5: emergency reviews by each organisation', () => {
    it("records the welfare area's and the municipality's (the controller's) review, neither locking out the other", async () => {
      const emergency = ok(await requestDisclosure(f, 'curator.W1', f.ids.student.A1b, { categories: ['identification'], basis: 'emergency', justification: JUSTIFICATION }));
      expect(emergency.body.flags.review).toBe(true);
      const id = emergency.body.disclosureId as string;
      const queue = async (auditor: 'auditor.A' | 'auditor.W1') =>
        (ok(await f.as[auditor].get(disclosure('/v1/audit/emergency-reviews'))).body.disclosures as Array<{ disclosureId: string }>).map((d) => d.disclosureId);
      expect(await queue('auditor.A')).toContain(id);
      expect(await queue('auditor.W1')).toContain(id);

      const welfareArea = ok(await f.as['auditor.W1'].post(disclosure(`/v1/audit/emergency-reviews/${id}`), { outcome: 'justified' }));
      expect(welfareArea.body.reviewedAs).toBe('recipient');
      expect(await queue('auditor.W1')).not.toContain(id);
      expect(await queue('auditor.A')).toContain(id);
      const controller = ok(await f.as['auditor.A'].post(disclosure(`/v1/audit/emergency-reviews/${id}`), { outcome: 'unjustified', note: 'no emergency' }));
      expect(controller.body.reviewedAs).toBe('controller');
      for (const auditor of ['auditor.A', 'auditor.W1'] as const) {
        const again = await f.as[auditor].post(disclosure(`/v1/audit/emergency-reviews/${id}`), { outcome: 'justified' });
        expect([again.status, again.body.code]).toEqual([409, 'already_reviewed']);
      }
      expect((await f.as['auditor.W2'].post(disclosure(`/v1/audit/emergency-reviews/${id}`), { outcome: 'justified' })).status).toBe(404);
      const reviews = ok(await f.as['auditor.A'].get(disclosure(`/v1/disclosures/${id}`))).body.reviews as Array<{ organisation: string; reviewedAs: string; outcome: string }>;
      expect(reviews.map(({ organisation, reviewedAs, outcome }) => ({ organisation, reviewedAs, outcome })).sort((a, b) => a.reviewedAs.localeCompare(b.reviewedAs))).toEqual([
        { organisation: `municipality:${f.ids.municipality.A}`, reviewedAs: 'controller', outcome: 'unjustified' },
        { organisation: `welfare-area:${f.ids.welfareArea.W1}`, reviewedAs: 'recipient', outcome: 'justified' },
      ]);
    });
  });

  describe('item 9: an explanation requestId reused', () => {
    it('answers a repeat with the recorded explanation and another student with 409, writing nothing', async () => {
      const body = asked({ categories: ['identification'], basis: 'identification' }, f.ids.student.A1);
      const first = ok(await f.as['doctor.W1'].post(disclosure('/v1/disclosures/explain'), body));
      const before = await f.quiesce();
      const again = ok(await f.as['doctor.W1'].post(disclosure('/v1/disclosures/explain'), body));
      expect(again.body).toEqual(first.body);
      const other = await f.as['doctor.W1'].post(disclosure('/v1/disclosures/explain'), { ...body, studentId: f.ids.student.A1b });
      expect([other.status, other.body.code]).toEqual([409, 'request_id_reused']);
      expect(await f.counts()).toEqual(before);
    });
  });

  describe('item 9: ids that name streams', () => {
    it('refuses a studentId outside the id alphabet before any audit stream is named after it', async () => {
      const before = await f.quiesce();
      for (const studentId of ['student\r\nx', '\u202eevil', 'a b', '../student', 'x'.repeat(201)]) {
        for (const path of ['/v1/disclosures', '/v1/disclosures/explain']) {
          const refused = await f.as['curator.W1'].post(disclosure(path), asked({ categories: ['identification'], basis: 'identification' }, studentId));
          expect([refused.status, refused.body.errors?.[0]?.field]).toEqual([400, 'studentId']);
        }
      }
      expect(await f.counts()).toEqual(before);
    });
  });

  describe('item 10: lists are paged with a cursor', () => {
    it("walks an auditor's list and a student's log page by page, every decision once, ending with a null cursor", async () => {
      const student = f.ids.student.A2;
      const made: string[] = [];
      for (let i = 0; i < 5; i++) made.push(ok(await requestDisclosure(f, 'nurse.W2', student, { categories: ['identification'], basis: 'identification' })).body.disclosureId);
      const walk = async (party: 'auditor.W2' | 'student.A2', path: string, key: 'disclosures' | 'entries') => {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const separator = path.includes('?') ? '&' : '?';
          const page: Answer = ok(await f.as[party].get(disclosure(`${path}${separator}limit=2${cursor ? `&cursor=${cursor}` : ''}`)));
          expect(page.body[key].length).toBeLessThanOrEqual(2);
          seen.push(...(page.body[key] as Array<{ disclosureId: string }>).map((d) => d.disclosureId));
          cursor = page.body.nextCursor;
          pages++;
        } while (cursor);
        return { seen, pages };
      };
      const audit = await walk('auditor.W2', `/v1/audit/disclosures?studentId=${student}`, 'disclosures');
      expect(audit.seen).toEqual(made);
      expect(audit.pages).toBe(3);
      const log = await walk('student.A2', `/v1/students/${student}/disclosure-log`, 'entries');
      expect(log.seen).toEqual(made);
      expect((await f.as['auditor.W2'].get(disclosure('/v1/audit/disclosures?cursor=not-ours'))).status).toBe(400);
      expect((await f.as['auditor.W2'].get(disclosure('/v1/audit/disclosures?limit=100000'))).status).toBe(400);
    });
  });

  describe('item 6: which welfare area serves which school, decided at disclosure too', () => {
    it("denies another municipality's student and a school the municipality moved to another welfare area", async () => {
      // W2 serves B's school and is assigned there, but this disclosure runs A's policy
      const other = ok(await requestDisclosure(f, 'curator.W2', f.ids.student.B1, { categories: ['identification'], basis: 'identification' }));
      expect(other.body.categories).toEqual([expect.objectContaining({ outcome: 'deny', reason: 'other_municipality' })]);
      expect(other.body.data).toEqual({});

      // A declares W2 to serve A1 from now on: W1's still-assigned psychologist gets nothing more
      ok(await f.as['admin.A'].put(f.url('roster', `/v1/schools/${f.ids.school.A1}/service`), { welfareAreaId: f.ids.welfareArea.W2 }));
      await eventually(
        async () => (await f.query<{ served_by: string }>('disclosure', 'SELECT served_by FROM dv_schools WHERE school_id = $1', [f.ids.school.A1]))[0]?.served_by === f.ids.welfareArea.W2,
        60_000,
        () => 'the new service relation never reached disclosure',
      );
      const moved = ok(await requestDisclosure(f, 'psychologist.W1', f.ids.student.A1, { categories: ['identification'], basis: 'identification' }));
      expect(moved.body.categories).toEqual([expect.objectContaining({ outcome: 'deny', reason: 'school_not_served' })]);
    });
  });
});
