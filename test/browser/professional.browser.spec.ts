import type { Page } from 'playwright-core';
import { checkPage, DEMO, LOCALES, signIn, startWebStack, t, type Locale, type Person, type WebStack } from './harness';

/**
 * The welfare professional's desk in Debian's Chromium on the whole stack: my students, the
 * request form with its live explanation, the answer with the released data laid out per
 * category, acknowledging receipt on the welfare area's receipts service, my requests and a
 * decision's record open in Finnish, Swedish and English with no serious or critical axe violation
 * (screenshots docs/screenshots/professional-*.png). Emergency access needs its justification
 * before anything is sent and shows the end of the window the API gave; bad input shows the API's
 * field error next to the field and records nothing; a nurse assigned elsewhere sees none of
 * another school's students and is refused them; other roles get no professional page.
 */
describe("the professional's pages in the browser", () => {
  let stack: WebStack;

  beforeAll(async () => {
    stack = await startWebStack('professional');
  }, 300_000);

  afterAll(async () => stack?.stop(), 120_000);

  const STUDENT = 'student-demo-1';
  /** Assigned to school-demo-2 only, where the demo enrols nobody (scripts/demo.ts). */
  const NURSE: Person = { provider: 'welfare-area', subject: 'nurse-demo-1', role: 'nurse', org: 'welfare-area:demo' };
  const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i');

  type Decision = { disclosureId: string; basis: string; outcome: string; emergencyWindow?: { endsAt: string } };

  /** The curator's decisions as disclosure records them, read beside the browser with a token of the test's own. */
  async function curatorsDecisions(): Promise<Decision[]> {
    const response = await fetch(`${stack.silta.apps.disclosure.url}/v1/disclosures?limit=1000`, { headers: { authorization: `Bearer ${await stack.tokenFor(DEMO.curator)}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { disclosures: Decision[] }).disclosures;
  }

  /** Released disclosures the welfare area's receipts service holds no receipt for (its auditor's report). */
  async function unacknowledged(): Promise<string[]> {
    const response = await fetch(`${stack.silta.apps.receipts!.url}/v1/receipts/missing?limit=1000`, { headers: { authorization: `Bearer ${await stack.tokenFor(DEMO.welfareAuditor)}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { disclosures: Array<{ disclosureId: string }> }).disclosures.map((d) => d.disclosureId);
  }

  /** Until receipts has heard of the disclosure from disclosure's topic: only then can it take a receipt. */
  async function receiptsKnows(disclosureId: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!(await unacknowledged()).includes(disclosureId)) {
      if (Date.now() > deadline) throw new Error(`receipts never heard of disclosure ${disclosureId}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Fills the request form for the demo's student; `basis` is left out on the emergency page, where it is fixed. */
  async function fillRequest(page: Page, locale: Locale, request: { categories: string[]; basis?: string; purpose: string }): Promise<void> {
    await page.getByLabel(t(locale, 'professional.request.studentId')).selectOption(STUDENT);
    const group = page.getByRole('group', { name: t(locale, 'professional.request.categories') });
    for (const category of request.categories) await group.getByRole('checkbox', { name: exactly(t(locale, `common.category.${category}`)) }).check();
    if (request.basis) await page.getByRole('group', { name: t(locale, 'professional.request.basis') }).getByRole('radio', { name: exactly(t(locale, `common.basis.${request.basis}`)) }).check();
    await page.getByLabel(t(locale, 'professional.request.purpose')).fill(request.purpose);
  }

  const explanation = (page: Page, locale: Locale) => page.getByRole('region', { name: t(locale, 'professional.explanation.title') });

  for (const locale of LOCALES) {
    it(`takes the curator from my students through the explanation to the released data, the receipt and the record (${locale})`, async () => {
      const before = (await curatorsDecisions()).length;
      const page = await stack.newPage(locale);
      await signIn(page, DEMO.curator, '/professional/students');
      const menu = page.getByRole('navigation', { name: t(locale, 'common.nav.label') });
      for (const key of ['students', 'request', 'emergency', 'requests']) await menu.getByRole('link', { name: t(locale, `professional.nav.${key}`) }).waitFor();

      // My students: the school the curator is assigned to, its students, a request link for each.
      const students = page.getByRole('table', { name: t(locale, 'professional.students.caption', { school: 'school-demo-1', count: 2 }) });
      await students.getByRole('rowheader', { name: STUDENT }).waitFor();
      await checkPage(page, `professional-students-${locale}`);
      await students.getByRole('link', { name: new RegExp(STUDENT) }).click();

      // The request form comes with the student chosen; the explanation answers before anything is sent.
      await page.getByRole('heading', { level: 1, name: t(locale, 'professional.request.title') }).waitFor();
      expect(await page.getByLabel(t(locale, 'professional.request.studentId')).inputValue()).toBe(STUDENT);
      await fillRequest(page, locale, { categories: ['identification', 'guardian_contacts'], basis: 'identification', purpose: `first meeting (${locale})` });
      await explanation(page, locale).getByText(t(locale, 'professional.explanation.summary.permit')).waitFor();
      await explanation(page, locale).getByText(t(locale, 'professional.outcome.would.permit')).first().waitFor();
      expect((await curatorsDecisions()).length).toBe(before); // explaining released nothing
      await checkPage(page, `professional-request-identification-${locale}`);

      await page.getByRole('button', { name: t(locale, 'professional.request.submit') }).click();
      await page.getByRole('heading', { level: 2, name: t(locale, 'professional.answer.title') }).waitFor();
      const released = page.getByRole('region', { name: t(locale, 'professional.answer.dataTitle') });
      // Identification as facts, the guardians as a list.
      await released.getByRole('definition').filter({ hasText: 'Aino Esimerkki' }).waitFor();
      await released.getByRole('definition').filter({ hasText: '7A' }).waitFor();
      await released.getByRole('listitem').filter({ hasText: 'Ilona Esimerkki' }).getByRole('link', { name: 'ilona.esimerkki@example.org' }).waitFor();
      const decisions = await curatorsDecisions();
      expect(decisions.length).toBe(before + 1);
      const decision = decisions.at(-1)!;
      expect(decision).toMatchObject({ basis: 'identification', outcome: 'permit' });
      await checkPage(page, `professional-answer-identification-${locale}`);

      // Acknowledging receipt records it on the welfare area's receipts service, and says so.
      await receiptsKnows(decision.disclosureId);
      const receipt = page.getByRole('region', { name: t(locale, 'professional.receipt.title') });
      await receipt.getByRole('button', { name: t(locale, 'professional.receipt.button') }).click();
      await receipt.locator('.notice-success').waitFor();
      expect(await receipt.getByRole('button').count()).toBe(0);
      expect(await unacknowledged()).not.toContain(decision.disclosureId);

      // The decision's record: the reasons in words, no data, the receipt's state.
      await page.getByRole('link', { name: t(locale, 'professional.answer.openRecord') }).click();
      await page.getByRole('heading', { level: 1, name: t(locale, 'professional.detail.title') }).waitFor();
      const categories = page.getByRole('table', { name: t(locale, 'professional.detail.categoriesCaption') });
      await categories.getByRole('cell', { name: t(locale, 'professional.reason.identification_data') }).first().waitFor();
      await page.getByRole('region', { name: t(locale, 'professional.receipt.title') }).locator('.notice-success').waitFor();
      await checkPage(page, `professional-detail-${locale}`);

      // My requests lists it, linked to the record.
      await page.getByRole('link', { name: t(locale, 'professional.detail.back') }).click();
      const history = page.getByRole('table', { name: t(locale, 'professional.requests.caption', { page: 1 }) });
      await history.locator(`a[href="/professional/requests/${decision.disclosureId}"]`).waitFor();
      await checkPage(page, `professional-requests-${locale}`);
      await page.context().close();
    }, 180_000);
  }

  it('emergency access needs its justification before anything is sent, and a permit shows the end of the window the API gave', async () => {
    const locale: Locale = 'en';
    const before = (await curatorsDecisions()).length;
    const page = await stack.newPage(locale);
    await signIn(page, DEMO.curator, '/professional/emergency');
    await page.getByRole('heading', { level: 1, name: t(locale, 'professional.emergency.title') }).waitFor();
    await fillRequest(page, locale, { categories: ['identification', 'guardian_contacts'], purpose: 'the student is in danger' });
    await page.getByRole('button', { name: t(locale, 'professional.emergency.submit') }).click();
    await page.locator('#field-justification-error', { hasText: t(locale, 'common.form.required') }).waitFor();
    await page.locator('.error-summary a[href="#field-justification"]').waitFor();
    expect(await page.locator('#field-justification').getAttribute('aria-invalid')).toBe('true');
    expect((await curatorsDecisions()).length).toBe(before);

    await page.getByLabel(t(locale, 'professional.request.justification')).fill('The student told the curator they are not safe at home tonight; the guardians must be reached at once.');
    await page.getByRole('button', { name: t(locale, 'professional.emergency.submit') }).click();
    await page.getByText(t(locale, 'professional.emergency.reviewed')).waitFor();
    const decisions = await curatorsDecisions();
    expect(decisions.length).toBe(before + 1);
    const { emergencyWindow } = decisions.at(-1)!;
    expect(emergencyWindow).toBeDefined();
    // The end shown is the end the decision recorded.
    const shownEnd = await page.locator('.emergency-window time').getAttribute('datetime');
    expect(shownEnd).toBe(new Date(emergencyWindow!.endsAt).toISOString());
    await checkPage(page, `professional-emergency-window-${locale}`);
    await page.context().close();
  }, 120_000);

  it("shows the API's field error next to the purpose when it is too long, and records nothing", async () => {
    const locale: Locale = 'fi';
    const before = (await curatorsDecisions()).length;
    const page = await stack.newPage(locale);
    await signIn(page, DEMO.curator, '/professional/request');
    await fillRequest(page, locale, { categories: ['identification'], basis: 'identification', purpose: 'x'.repeat(501) });
    // The explanation's 400 names the field: shown next to it while the form is filled in.
    const error = page.locator('#field-purpose-error');
    await error.waitFor();
    expect((await error.innerText()).length).toBeGreaterThan(t(locale, 'common.form.errorPrefix').length);
    await page.getByRole('button', { name: t(locale, 'professional.request.submit') }).click();
    await page.locator('.error-summary a[href="#field-purpose"]').waitFor();
    expect(await page.locator('#field-purpose').getAttribute('aria-invalid')).toBe('true');
    expect((await page.locator('#field-purpose').getAttribute('aria-describedby'))?.split(' ')).toContain('field-purpose-error');
    expect((await curatorsDecisions()).length).toBe(before);
    await page.context().close();
  }, 120_000);

  it("a nurse assigned to another school sees none of this school's students, and the explanation refuses them", async () => {
    const locale: Locale = 'sv';
    const page = await stack.newPage(locale);
    await signIn(page, NURSE, '/professional/students');
    await page.getByRole('heading', { level: 2, name: t(locale, 'professional.students.school', { school: 'school-demo-2' }) }).waitFor();
    await page.getByText(t(locale, 'professional.students.none')).waitFor();
    expect(await page.getByText(STUDENT).count()).toBe(0);

    // Named in the address anyway: the decision refuses, and the form says why before anything is sent.
    await page.goto(`/professional/request?studentId=${STUDENT}`);
    await page.getByLabel(t(locale, 'professional.request.studentId')).waitFor();
    const group = page.getByRole('group', { name: t(locale, 'professional.request.categories') });
    await group.getByRole('checkbox', { name: exactly(t(locale, 'common.category.identification')) }).check();
    await page.getByRole('group', { name: t(locale, 'professional.request.basis') }).getByRole('radio', { name: exactly(t(locale, 'common.basis.identification')) }).check();
    await page.getByLabel(t(locale, 'professional.request.purpose')).fill('hälsokontroll');
    await explanation(page, locale).getByText(t(locale, 'professional.explanation.summary.deny')).waitFor();
    await explanation(page, locale).getByText(t(locale, 'professional.outcome.would.deny')).waitFor();
    await page.context().close();
  }, 120_000);

  it('offers no professional page to a guardian', async () => {
    const locale: Locale = 'en';
    const page = await stack.newPage(locale);
    await signIn(page, DEMO.guardian, '/professional/request');
    await page.getByRole('heading', { level: 1, name: t(locale, 'common.notFound.title') }).waitFor();
    expect(await page.getByRole('link', { name: t(locale, 'professional.nav.request') }).count()).toBe(0);
    await page.context().close();
  }, 120_000);
});
