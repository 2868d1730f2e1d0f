import { eventually } from '@silta/testing';
import type { AppName } from './harness';
import { JUSTIFICATION, grantConsent, ok, requestDisclosure, startTwoOrgs, type TwoOrgs } from './fixtures-two-orgs';

/**
 * What the four apps log while a story with people in it runs, as a deployment reads it
 * (LOG_FORMAT=json): every line a JSON object a collector can index, and none of the story's
 * personal data or credentials in any line: no names, contacts, released record texts,
 * justifications or tokens, whatever the apps decided, refused or relayed.
 */
describe('log lines in a deployment', () => {
  let f: TwoOrgs;
  const apps: readonly AppName[] = ['roster', 'consent', 'disclosure', 'receipts'];

  beforeAll(async () => {
    f = await startTwoOrgs('logs', { LOG_FORMAT: 'json' });
  }, 300_000);
  afterAll(() => f?.stop(), 60_000);

  /** Waits until disclosure's view holds a consent's state, so decisions see it. */
  async function viewHasConsent(consentId: string, status: string): Promise<void> {
    await eventually(
      async () => (await f.query<{ status: string }>('disclosure', 'SELECT status FROM dv_consents WHERE consent_id = $1', [consentId]))[0]?.status === status,
      60_000,
      () => `disclosure's view never saw consent ${consentId} ${status}`,
    );
  }

  it('are JSON objects with level, time, service and msg, and never carry personal data or tokens', async () => {
    const { student, welfareArea } = f.ids;
    const recordText = `Kuvataide ja kasityo ${f.ids.run}`;
    ok(
      await f.as['sis.A'].post(f.url('roster', `/v1/students/${student.A1}/records`), { recordId: `rec-logs-${f.ids.run}`, category: 'grades', date: '2026-02-03', subject: recordText, grade: '9' }),
      'a record with a text',
    );
    const granted = await grantConsent(f, 'guardian.A1', student.A1, welfareArea.W1, ['grades'], ['curator']);

    // Released: the record's text (consent), the student's name and the guardian's contacts (identification, emergency).
    await viewHasConsent(granted.consentId, 'active');
    const byConsent = ok(await requestDisclosure(f, 'curator.W1', student.A1, { basis: 'consent', categories: ['grades'] }), 'by consent');
    expect(JSON.stringify(byConsent.body.data)).toContain(recordText);
    const identified = ok(await requestDisclosure(f, 'curator.W1', student.A1, { basis: 'identification', categories: ['identification', 'guardian_contacts'] }), 'identification');
    expect(JSON.stringify(identified.body.data)).toContain('@example.invalid');
    const emergency = ok(await requestDisclosure(f, 'nurse.W1', student.A1, { basis: 'emergency', categories: ['identification'], justification: JUSTIFICATION }), 'emergency');
    expect(JSON.stringify(emergency.body.data)).toContain('Oppilas');

    const withdrawn = ok(await f.as['guardian.A1'].post(f.url('consent', `/v1/consents/${granted.consentId}/withdraw`), {}), 'withdraw');
    expect(withdrawn.status).toBe(200);
    await viewHasConsent(granted.consentId, 'withdrawn');
    const after = ok(await requestDisclosure(f, 'curator.W1', student.A1, { basis: 'consent', categories: ['grades'] }), 'after the withdrawal');
    expect(after.body.outcome).toBe('deny');

    // Refused with 4xx: an emergency asking for a category that does not exist, and a guardian's name and email where an id belongs.
    const refused = await requestDisclosure(f, 'nurse.W1', student.A1, { basis: 'emergency', categories: ['identification', 'Huoltaja A1'], justification: JUSTIFICATION });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    const badStudent = await requestDisclosure(f, 'curator.W1', 'Oppilas A1 huoltaja.a1@example.invalid', { basis: 'identification', categories: ['identification'] });
    expect(badStudent.status).toBeGreaterThanOrEqual(400);
    expect(badStudent.status).toBeLessThan(500);

    // Relays, consumers, receipts and witnesses have had their say.
    await f.quiesce();

    for (const app of apps) {
      const output = f.silta.apps[app]!.output();
      const lines = output.split('\n').filter((line) => line.trim() !== '');
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(line) as Record<string, unknown>;
        } catch {
          throw new Error(`${app} printed a line that is not JSON: ${line}`);
        }
        expect({ app, entry }).toMatchObject({ app, entry: { level: expect.any(String), time: expect.any(String), service: app, msg: expect.any(String) } });
      }
      for (const text of ['Oppilas', 'Huoltaja', '@example.invalid', JUSTIFICATION, recordText, 'eyJ']) {
        const at = output.indexOf(text);
        if (at >= 0) throw new Error(`${app} logged ${JSON.stringify(text)}: ${output.slice(Math.max(0, output.lastIndexOf('\n', at) + 1), output.indexOf('\n', at))}`);
      }
    }
  }, 180_000);
});
