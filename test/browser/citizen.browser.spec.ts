import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { checkPage, DEMO, LOCALES, setLanguage, signIn, startWebStack, t, type Locale, type Person, type WebStack } from './harness';

/**
 * The guardian's and student's pages in Debian's Chromium on the whole stack: each main page opens
 * in Finnish, Swedish and English with no serious or critical axe violation (screenshots
 * docs/screenshots/citizen-*.png); the grant form shows the required choices and the consent API's
 * field errors next to their fields and writes nothing on bad input; pause, resume and withdraw
 * change the consent only after the in-page confirmation (cancel changes nothing, focus returns);
 * the log tells a curator's request in words; the student's own page, and what a student who
 * decides for themselves and their guardian each see.
 */
describe("the guardian's and student's pages in the browser", () => {
  let stack: WebStack;

  beforeAll(async () => {
    stack = await startWebStack('citizen');
  }, 300_000);

  afterAll(async () => stack?.stop(), 120_000);

  const STUDENT = 'student-demo-1';
  /** The demo student's synthetic name (scripts/demo.ts), as the guardian's pages show it. */
  const STUDENT_NAME = 'Aino Esimerkki';
  const STUDENT_PERSON: Person = { provider: 'citizen', subject: STUDENT, role: 'student' };
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const startsWith = (text: string) => new RegExp(`^${escape(text)}`, 'i');

  type Consents = { consents: Array<{ consentId: string; purpose: string; status: string; recipient: { welfareAreaId: string; roles?: string[] }; categories: string[] }> };

  /** An API's answer to the test's own call beside the browser, as `person`. */
  async function call<T>(party: 'consent' | 'disclosure', person: Person, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${stack.silta.apps[party].url}${path}`, {
      method,
      headers: { authorization: `Bearer ${await stack.tokenFor(person)}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  const consents = async () => {
    const answer = await call<Consents>('consent', DEMO.guardian, 'GET', `/v1/students/${STUDENT}/consents`);
    expect(answer.status).toBe(200);
    return answer.body.consents;
  };
  const consentWith = async (purpose: string) => (await consents()).find((c) => c.purpose === purpose);

  /** The error shown next to the field named `name` (the API's field path); the control is marked invalid and described by it, and the summary links to it. */
  async function expectFieldError(page: Page, name: string, text: string): Promise<void> {
    const id = `field-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
    await page.locator(`#${id}-error`, { hasText: text }).waitFor();
    const control = page.locator(`#${id}`);
    expect(await control.getAttribute('aria-invalid')).toBe('true');
    expect((await control.getAttribute('aria-describedby'))?.split(' ')).toContain(`${id}-error`);
    await page.locator(`.error-summary a[href="#${id}"]`).waitFor();
  }

  /** Fills the grant form: categories, professions and purpose; the welfare area is proposed by the page. */
  async function fillGrant(page: Page, locale: Locale, grant: { categories: string[]; roles: string[]; purpose: string }): Promise<void> {
    const categories = page.getByRole('group', { name: t(locale, 'citizen.grant.categories') });
    for (const category of grant.categories) await categories.getByRole('checkbox', { name: startsWith(t(locale, `common.category.${category}`)) }).check();
    const roles = page.getByRole('group', { name: startsWith(t(locale, 'citizen.grant.roles')) });
    for (const role of grant.roles) await roles.getByRole('checkbox', { name: startsWith(t(locale, `common.role.${role}`)) }).check();
    await page.getByLabel(t(locale, 'citizen.grant.purpose')).fill(grant.purpose);
  }

  const card = (page: Page, purpose: string) => page.locator('article.consent', { hasText: purpose });

  for (const locale of LOCALES) {
    it(`opens the guardian's pages in ${locale}`, async () => {
      const page = await stack.newPage(locale);
      await signIn(page, DEMO.guardian, '/');
      // The guardian's first page is their children, in the menu; a student's page is not offered.
      const menu = page.getByRole('navigation', { name: t(locale, 'common.nav.label') });
      await menu.getByRole('link', { name: t(locale, 'citizen.nav.students') }).waitFor();
      expect(await menu.getByRole('link', { name: t(locale, 'citizen.nav.me') }).count()).toBe(0);
      const table = page.getByRole('table', { name: t(locale, 'citizen.students.caption', { count: 1 }) });
      await table.getByRole('row', { name: new RegExp(escape(t(locale, 'citizen.students.decides.guardians'))) }).waitFor();
      await checkPage(page, `citizen-students-${locale}`);

      // The child by name, the id beside it (the one a school or a welfare worker may quote).
      await table.getByText(STUDENT, { exact: true }).waitFor();
      await table.getByRole('link', { name: STUDENT_NAME, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: t(locale, 'citizen.consents.title', { student: STUDENT_NAME }) }).waitFor();
      await page.getByText(t(locale, 'citizen.decides.guardian.none', { student: STUDENT_NAME })).waitFor();
      await page.getByRole('heading', { level: 2, name: startsWith(t(locale, 'citizen.consents.inForce', { count: 0 }).replace(/\d+.*$/, '')) }).waitFor();
      await checkPage(page, `citizen-consents-${locale}`);

      const studentNav = page.getByRole('navigation', { name: t(locale, 'citizen.studentNav.label') });
      await studentNav.getByRole('link', { name: t(locale, 'citizen.studentNav.grant') }).click();
      await page.getByRole('heading', { level: 1, name: t(locale, 'citizen.grant.title', { student: STUDENT_NAME }) }).waitFor();
      // The welfare area serving the school is proposed.
      expect(await page.getByLabel(t(locale, 'citizen.grant.welfareArea')).inputValue()).toBe('demo');
      await checkPage(page, `citizen-grant-${locale}`);

      await studentNav.getByRole('link', { name: t(locale, 'citizen.studentNav.log') }).click();
      await page.getByRole('heading', { level: 1, name: t(locale, 'citizen.log.title', { student: STUDENT_NAME }) }).waitFor();
      await page.getByText(t(locale, 'citizen.log.guardianNote')).waitFor();
      await checkPage(page, `citizen-log-${locale}`);

      await studentNav.getByRole('link', { name: t(locale, 'citizen.studentNav.report') }).click();
      await page.getByRole('heading', { level: 1, name: t(locale, 'citizen.report.title', { student: STUDENT_NAME }) }).waitFor();
      await page.getByRole('heading', { level: 2, name: t(locale, 'citizen.report.completeness') }).waitFor();
      for (const format of ['html', 'csv', 'json']) await page.getByRole('link', { name: t(locale, `citizen.report.format.${format}`) }).waitFor();
      await checkPage(page, `citizen-report-${locale}`);
      // The guardian has no page for what guardians see: that is the student's choice.
      expect(await studentNav.getByRole('link', { name: t(locale, 'citizen.studentNav.visibility') }).count()).toBe(0);
      await page.context().close();
    }, 120_000);
  }

  it("shows the required choices and the consent API's field errors next to their fields, and writes nothing until they are right", async () => {
    const locale: Locale = 'fi';
    const page = await stack.newPage(locale);
    await signIn(page, DEMO.guardian, `/citizen/students/${STUDENT}/consents/new`);
    await page.getByRole('heading', { level: 1, name: t(locale, 'citizen.grant.title', { student: STUDENT_NAME }) }).waitFor();
    const before = (await consents()).length;
    const submit = page.getByRole('button', { name: t(locale, 'citizen.grant.submit'), exact: true });

    // Nothing chosen: the form names each required choice at its field, in the user's language.
    await submit.click();
    await expectFieldError(page, 'categories', t(locale, 'citizen.grant.error.categories'));
    await expectFieldError(page, 'purpose', t(locale, 'citizen.grant.error.purpose'));
    // The summary took the focus, so a screen reader hears what is wrong first.
    expect(await page.locator('.error-summary').evaluate((summary) => summary === summary.ownerDocument.activeElement)).toBe(true);

    // A welfare area the consent API refuses (not an id): the API's problem detail shows at that field.
    const purpose = `bad input ${randomUUID()}`;
    await fillGrant(page, locale, { categories: ['absences'], roles: [], purpose });
    await page.getByLabel(t(locale, 'citizen.grant.welfareArea')).fill('not an id');
    await submit.click();
    await expectFieldError(page, 'recipient.welfareAreaId', 'letters, digits');
    expect((await consents()).length).toBe(before);

    // Put right, the same form gives the consent.
    await page.getByLabel(t(locale, 'citizen.grant.welfareArea')).fill('demo');
    await submit.click();
    await page.getByRole('heading', { level: 1, name: t(locale, 'citizen.consents.title', { student: STUDENT_NAME }) }).waitFor();
    await card(page, purpose).waitFor();
    expect(await consentWith(purpose)).toMatchObject({ status: 'active', categories: ['absences'], recipient: { welfareAreaId: 'demo' } });
    expect((await consents()).length).toBe(before + 1);
    await page.context().close();
  }, 120_000);

  it('pauses, resumes and withdraws a consent only after the in-page confirmation; cancelling changes nothing', async () => {
    const locale: Locale = 'en';
    const page = await stack.newPage(locale);
    await signIn(page, DEMO.guardian, `/citizen/students/${STUDENT}/consents/new`);
    const purpose = `changes ${randomUUID()}`;
    await fillGrant(page, locale, { categories: ['absences', 'grades'], roles: ['curator'], purpose });
    // The preview tells the consent as it will read before it is given.
    await page.getByRole('region', { name: t(locale, 'citizen.grant.preview') }).getByText(purpose).waitFor();
    await page.getByRole('button', { name: t(locale, 'citizen.grant.submit'), exact: true }).click();
    await page.getByText(t(locale, 'citizen.consents.granted')).waitFor();
    const consent = card(page, purpose);
    await consent.getByText(t(locale, 'citizen.consent.status.active'), { exact: true }).waitFor();

    // Pause asks first, in the page, saying what changes at once; cancel changes nothing and gives the focus back.
    const pause = consent.getByRole('button', { name: startsWith(t(locale, 'citizen.consent.action.pause')) });
    await pause.click();
    const question = consent.getByRole('heading', { level: 4, name: t(locale, 'citizen.change.pause.question') });
    await question.waitFor();
    expect(await question.evaluate((heading) => heading === heading.ownerDocument.activeElement)).toBe(true);
    const scope = { professions: t(locale, 'citizen.professions.curator'), area: t(locale, 'citizen.name.welfareArea', { id: 'demo' }), categories: `${t(locale, 'common.category.absences')} and ${t(locale, 'common.category.grades')}` };
    await consent.getByText(t(locale, 'citizen.change.pause.effect', scope)).waitFor();
    await checkPage(page, `citizen-confirm-pause-${locale}`);
    await consent.getByRole('button', { name: t(locale, 'common.cancel'), exact: true }).click();
    await question.waitFor({ state: 'detached' });
    expect(await pause.evaluate((button) => button === button.ownerDocument.activeElement)).toBe(true);
    expect((await consentWith(purpose))?.status).toBe('active');

    await pause.click();
    await consent.getByRole('button', { name: t(locale, 'citizen.change.pause.confirm'), exact: true }).click();
    await page.getByText(t(locale, 'citizen.consents.changed.pause')).waitFor();
    await consent.getByText(t(locale, 'citizen.consent.status.paused'), { exact: true }).waitFor();
    expect((await consentWith(purpose))?.status).toBe('paused');

    await consent.getByRole('button', { name: startsWith(t(locale, 'citizen.consent.action.resume')) }).click();
    await consent.getByRole('button', { name: t(locale, 'citizen.change.resume.confirm'), exact: true }).click();
    await page.getByText(t(locale, 'citizen.consents.changed.resume')).waitFor();
    await consent.getByText(t(locale, 'citizen.consent.status.active'), { exact: true }).waitFor();
    expect((await consentWith(purpose))?.status).toBe('active');

    // Withdrawal says it is final; afterwards the consent is among the ended ones, with nothing left to change.
    await consent.getByRole('button', { name: startsWith(t(locale, 'citizen.consent.action.withdraw')) }).click();
    await consent.getByText(t(locale, 'citizen.change.withdraw.after')).waitFor();
    await checkPage(page, `citizen-confirm-withdraw-${locale}`);
    await consent.getByRole('button', { name: t(locale, 'citizen.change.withdraw.confirm'), exact: true }).click();
    await page.getByText(t(locale, 'citizen.consents.changed.withdraw')).waitFor();
    const ended = page.getByRole('region', { name: startsWith(t(locale, 'citizen.consents.ended', { count: 1 }).replace(/\(.*$/, '')) });
    await ended.locator('article.consent', { hasText: purpose }).getByText(t(locale, 'citizen.consent.status.withdrawn'), { exact: true }).waitFor();
    expect(await card(page, purpose).getByRole('button').count()).toBe(0);
    expect((await consentWith(purpose))?.status).toBe('withdrawn');
    await page.context().close();
  }, 120_000);

  it("tells a curator's request in words in the guardian's log", async () => {
    const locale: Locale = 'sv';
    const requested = await call<{ outcome: string }>('disclosure', DEMO.curator, 'POST', '/v1/disclosures', {
      requestId: randomUUID(),
      studentId: STUDENT,
      categories: ['identification'],
      basis: 'identification',
      purpose: 'first meeting',
    });
    expect([200, 201]).toContain(requested.status);
    const page = await stack.newPage('en');
    await signIn(page, DEMO.guardian, `/citizen/students/${STUDENT}/log`);
    await setLanguage(page, locale);
    const sentence = page.locator('.log-sentences li', { hasText: 'first meeting' }).first();
    await sentence.waitFor();
    const text = await sentence.textContent();
    for (const part of ['curator-demo-1', t(locale, 'common.role.curator'), t(locale, 'citizen.name.welfareArea', { id: 'demo' }), t(locale, 'common.basis.identification')]) expect(text).toContain(part);
    await page.getByRole('table', { name: startsWith(t(locale, 'citizen.log.caption', { count: 1 }).replace(/\(.*$/, '')) }).getByRole('cell', { name: 'curator-demo-1' }).first().waitFor();
    await checkPage(page, `citizen-log-entry-${locale}`);

    // The report comes in the language chosen in the app, not the browser's: Swedish here, in an English-speaking browser.
    await page.getByRole('navigation', { name: t(locale, 'citizen.studentNav.label') }).getByRole('link', { name: t(locale, 'citizen.studentNav.report') }).click();
    await page.getByRole('heading', { level: 2, name: t(locale, 'citizen.report.completeness') }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: t(locale, 'citizen.report.format.html') }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^silta-report-${STUDENT}-\\d{4}-\\d{2}-\\d{2}\\.html$`));
    const html = readFileSync((await download.path())!, 'utf8');
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain('curator-demo-1');
    await page.context().close();
  }, 120_000);

  it("the student's own page, and once they decide for themselves, what they and their guardian see", async () => {
    const locale: Locale = 'fi';
    const page = await stack.newPage(locale);
    await signIn(page, STUDENT_PERSON, '/');
    // The student lands on their own page; their guardians decide, so no consent can be given yet.
    await page.getByRole('heading', { level: 1, name: t(locale, 'citizen.consents.titleOwn') }).waitFor();
    await page.getByText(t(locale, 'citizen.decides.student.none')).waitFor();
    expect(await page.getByRole('link', { name: t(locale, 'citizen.consents.grantLink') }).count()).toBe(0);
    expect(await page.getByRole('link', { name: t(locale, 'citizen.studentNav.grant') }).count()).toBe(0);
    await checkPage(page, `citizen-me-${locale}`);

    // What guardians see: the student hides curators' requests, and consent records it.
    await page.getByRole('navigation', { name: t(locale, 'citizen.studentNav.label') }).getByRole('link', { name: t(locale, 'citizen.studentNav.visibility') }).click();
    await page.getByRole('heading', { level: 1, name: t(locale, 'citizen.visibility.title') }).waitFor();
    await checkPage(page, `citizen-visibility-${locale}`);
    await page.getByRole('checkbox', { name: t(locale, 'citizen.visibility.role.curator') }).check();
    await page.getByRole('button', { name: t(locale, 'citizen.visibility.submit'), exact: true }).click();
    await page.getByText(t(locale, 'citizen.visibility.saved')).waitFor();
    expect((await call<{ hiddenRoles: string[] }>('consent', STUDENT_PERSON, 'GET', `/v1/students/${STUDENT}/guardian-visibility`)).body.hiddenRoles).toEqual(['curator']);

    // The curator assesses that the student decides for themselves in social welfare matters.
    const assessed = await call('consent', DEMO.curator, 'PUT', `/v1/students/${STUDENT}/capacity/social_welfare`, { decidesForSelf: true, assessedOn: '2026-01-05' });
    expect(assessed.status).toBe(200);
    await page.getByRole('navigation', { name: t(locale, 'citizen.studentNav.label') }).getByRole('link', { name: t(locale, 'citizen.studentNav.consents') }).click();
    const field = t(locale, 'citizen.field.social_welfare');
    await page.getByText(startsWith(t(locale, 'citizen.decides.student.field', { field, dated: 'no', since: '' }).split(':')[0]!)).waitFor();
    await page.getByRole('link', { name: t(locale, 'citizen.consents.grantLink') }).click();
    // The student may consent for curators only: the form says so.
    const allowed = t(locale, 'citizen.professions.curator');
    await page.getByText(t(locale, 'citizen.grant.rolesHintLimited', { allowed })).waitFor();
    await checkPage(page, `citizen-grant-own-${locale}`);
    await page.context().close();

    // The guardian is told that their consents no longer count there.
    const guardian = await stack.newPage(locale);
    await signIn(guardian, DEMO.guardian, `/citizen/students/${STUDENT}`);
    await guardian.getByText(startsWith(`${t(locale, 'citizen.decides.guardian.field', { student: STUDENT_NAME, field, dated: 'no', since: '' }).split(':')[0]!}:`)).waitFor();
    await guardian.context().close();
  }, 120_000);
});
