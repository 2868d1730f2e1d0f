import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { checkPage, DEMO, LOCALES, signIn, startWebStack, t, type Locale, type Person, type WebStack } from './harness';

/**
 * The auditor's console in Debian's Chromium on the whole stack: each page opens in Finnish,
 * Swedish and English with no serious or critical axe violation (screenshots
 * docs/screenshots/auditor-*.png); the municipality's auditor reviews the curator's emergency
 * access, and only the in-page confirmation records it; the search and the bundle form show the
 * API's refusals next to their fields; a welfare area's auditor is not offered the municipality's log.
 */
describe("the auditor's console in the browser", () => {
  let stack: WebStack;

  beforeAll(async () => {
    stack = await startWebStack('auditor');
  }, 300_000);

  afterAll(async () => stack?.stop(), 120_000);

  type Decision = { disclosureId: string; requester: { sub: string }; reviews?: Array<{ organisation: string; outcome: string }> };

  /** disclosure's answer as the test's own caller sees it beside the browser. */
  async function disclosure<T>(person: Person, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${stack.silta.apps.disclosure.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${await stack.tokenFor(person)}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  const queue = async (status: 'unreviewed' | 'reviewed') =>
    (await disclosure<{ disclosures: Decision[] }>(DEMO.municipalityAuditor, `/v1/audit/emergency-reviews?status=${status}&limit=1000`)).body.disclosures;

  /** The curator uses emergency access to the demo's student, as the story has it. */
  async function curatorsEmergencyAccess(): Promise<string> {
    const answer = await disclosure<{ disclosureId: string; outcome: string }>(DEMO.curator, '/v1/disclosures', {
      requestId: randomUUID(),
      studentId: 'student-demo-1',
      categories: ['identification'],
      basis: 'emergency',
      purpose: 'student in acute danger',
      justification: 'The student told the curator of a threat at home today; the guardians must be reached at once.',
    });
    expect(answer.status).toBe(200);
    return answer.body.disclosureId;
  }

  /** The error shown next to the field named `name` (the API's field path); the control is marked invalid and described by it. */
  async function expectFieldError(page: Page, name: string, text?: string): Promise<void> {
    const id = `field-${name}`;
    await page.locator(`#${id}-error`, text === undefined ? {} : { hasText: text }).waitFor();
    const control = page.locator(`#${id}`);
    expect(await control.getAttribute('aria-invalid')).toBe('true');
    expect((await control.getAttribute('aria-describedby'))?.split(' ')).toContain(`${id}-error`);
    await page.locator(`.error-summary a[href="#${id}"]`).waitFor();
  }

  const menuLink = (page: Page, locale: Locale, key: string) => page.getByRole('navigation', { name: t(locale, 'common.nav.label') }).getByRole('link', { name: t(locale, key), exact: true });

  for (const locale of LOCALES) {
    it(`opens every page of the municipality's auditor in ${locale}`, async () => {
      await curatorsEmergencyAccess();
      const page = await stack.newPage(locale);
      await signIn(page, DEMO.municipalityAuditor, '/auditor/emergency-reviews');
      await page.getByRole('article', { name: t(locale, 'auditor.emergency.itemTitle', { role: t(locale, 'common.role.curator'), sub: 'curator-demo-1', studentId: 'student-demo-1' }) }).first().waitFor();
      await checkPage(page, `auditor-emergency-reviews-${locale}`);

      await menuLink(page, locale, 'auditor.nav.disclosures').click();
      await page.getByRole('table').getByRole('cell', { name: /curator-demo-1/ }).first().waitFor();
      await checkPage(page, `auditor-disclosures-${locale}`);

      await menuLink(page, locale, 'auditor.nav.supervision').click();
      await page.getByRole('heading', { level: 1, name: t(locale, 'auditor.supervision.title') }).waitFor();
      await page.getByRole('heading', { level: 2, name: t(locale, 'auditor.results.heading') }).waitFor();
      await page.locator('.loading').waitFor({ state: 'detached' });
      await checkPage(page, `auditor-supervision-${locale}`);

      await menuLink(page, locale, 'auditor.nav.log').click();
      await page.getByRole('heading', { level: 2, name: t(locale, 'auditor.log.checkpoint') }).waitFor();
      await checkPage(page, `auditor-log-${locale}`);

      await menuLink(page, locale, 'auditor.nav.bundle').click();
      await page.getByLabel(t(locale, 'auditor.bundle.studentId')).fill('student-demo-1');
      await page.getByRole('button', { name: t(locale, 'auditor.bundle.submit') }).click();
      const download = page.getByRole('link', { name: t(locale, 'auditor.bundle.download', { fileName: 'audit-bundle-student-demo-1.json' }) });
      await download.waitFor();
      expect(await download.getAttribute('href')).toBe('/api/disclosure/v1/audit/log/bundle?studentId=student-demo-1');
      await page.getByText('silta-audit verify-bundle audit-bundle-student-demo-1.json --key').waitFor();
      await checkPage(page, `auditor-bundle-${locale}`);
      await page.context().close();
    }, 180_000);
  }

  it("reviews the curator's emergency access only after the in-page confirmation, and the queue updates", async () => {
    const locale: Locale = 'en';
    const disclosureId = await curatorsEmergencyAccess();
    const page = await stack.newPage(locale);
    await signIn(page, DEMO.municipalityAuditor, '/auditor/emergency-reviews');
    // The access is found by the id the API gave it, under a heading naming the curator and the student.
    const item = page.getByRole('article').filter({ hasText: disclosureId });
    await item.getByRole('heading', { name: t(locale, 'auditor.emergency.itemTitle', { role: t(locale, 'common.role.curator'), sub: 'curator-demo-1', studentId: 'student-demo-1' }) }).waitFor();
    await item.getByText('The student told the curator of a threat at home today').waitFor();

    await item.getByRole('button', { name: t(locale, 'auditor.emergency.review') }).click();
    // No outcome chosen: refused at the outcome, before any confirmation.
    await item.getByRole('button', { name: t(locale, 'auditor.review.continue') }).click();
    await expectFieldError(page, 'outcome', t(locale, 'common.form.required'));
    expect(await item.getByRole('button', { name: t(locale, 'auditor.review.record') }).count()).toBe(0);

    await item.getByRole('radio', { name: t(locale, 'auditor.review.justified'), exact: true }).check();
    await item.getByLabel(t(locale, 'auditor.review.note')).fill('Acute risk, guardians reached within the hour.');
    await item.getByRole('button', { name: t(locale, 'auditor.review.continue') }).click();
    const confirmation = item.getByRole('region', { name: t(locale, 'auditor.review.confirmTitle') });
    await confirmation.waitFor();
    // The confirmation takes the focus; going back records nothing.
    const confirmHeading = confirmation.getByRole('heading', { name: t(locale, 'auditor.review.confirmTitle') });
    expect(await confirmHeading.evaluate((heading) => heading === heading.ownerDocument.activeElement)).toBe(true);
    await confirmation.getByRole('button', { name: t(locale, 'auditor.review.back') }).click();
    await item.getByRole('radio', { name: t(locale, 'auditor.review.justified'), exact: true }).waitFor();
    expect((await queue('unreviewed')).map((d) => d.disclosureId)).toContain(disclosureId);

    await item.getByRole('button', { name: t(locale, 'auditor.review.continue') }).click();
    await checkPage(page, 'auditor-emergency-confirm-en');
    await confirmation.getByRole('button', { name: t(locale, 'auditor.review.record') }).click();
    await page.getByRole('status').filter({ hasText: t(locale, 'auditor.emergency.recorded', { name: t(locale, 'auditor.emergency.itemTitle', { role: t(locale, 'common.role.curator'), sub: 'curator-demo-1', studentId: 'student-demo-1' }), outcome: 'justified', reviewedAs: 'controller' }) }).waitFor();
    // The queue was read again: the reviewed access has left it, in the page and in the API.
    await item.waitFor({ state: 'detached' });
    // The focus is on what was recorded, not lost with the removed access.
    expect(await page.locator('.auditor-announcement').evaluate((region) => region === region.ownerDocument.activeElement)).toBe(true);
    expect((await queue('unreviewed')).map((d) => d.disclosureId)).not.toContain(disclosureId);
    const reviewed = (await queue('reviewed')).find((d) => d.disclosureId === disclosureId);
    expect(reviewed?.reviews).toEqual([expect.objectContaining({ organisation: 'municipality:demo', outcome: 'justified' })]);
    await page.context().close();
  }, 180_000);

  it('says so when someone at the organisation reviewed the access first, and the queue updates', async () => {
    const locale: Locale = 'en';
    const disclosureId = await curatorsEmergencyAccess();
    const page = await stack.newPage(locale);
    await signIn(page, DEMO.municipalityAuditor, '/auditor/emergency-reviews');
    const item = page.getByRole('article').filter({ hasText: disclosureId });
    await item.getByRole('button', { name: t(locale, 'auditor.emergency.review') }).click();
    await item.getByRole('radio', { name: t(locale, 'auditor.review.unjustified'), exact: true }).check();
    await item.getByRole('button', { name: t(locale, 'auditor.review.continue') }).click();
    // Another auditor of the municipality records theirs while this one reads the confirmation.
    expect((await disclosure(DEMO.municipalityAuditor, `/v1/audit/emergency-reviews/${disclosureId}`, { outcome: 'justified' })).status).toBe(200);
    await item.getByRole('button', { name: t(locale, 'auditor.review.record') }).click();
    await page.locator('.auditor-announcement .notice-warning', { hasText: t(locale, 'common.problem.409') }).waitFor();
    await item.waitFor({ state: 'detached' });
    const reviewed = (await queue('reviewed')).find((d) => d.disclosureId === disclosureId);
    expect(reviewed?.reviews).toEqual([expect.objectContaining({ organisation: 'municipality:demo', outcome: 'justified' })]);
    await page.context().close();
  }, 120_000);

  it("pages through a student's decisions 25 at a time, forward and back", async () => {
    const locale: Locale = 'sv';
    for (let n = 0; n < 26; n++) {
      const answer = await disclosure(DEMO.curator, '/v1/disclosures', { requestId: randomUUID(), studentId: 'student-demo-2', categories: ['identification'], basis: 'identification', purpose: `first meeting ${n}` });
      expect(answer.status).toBe(200);
    }
    const all = (await disclosure<{ disclosures: Decision[] }>(DEMO.municipalityAuditor, '/v1/audit/disclosures?studentId=student-demo-2&limit=1000')).body.disclosures;
    expect(all.length).toBeGreaterThan(25);
    const second = all.slice(25, 50);
    const page = await stack.newPage(locale);
    await signIn(page, DEMO.municipalityAuditor, '/auditor/disclosures');
    await page.getByLabel(t(locale, 'auditor.filter.studentId')).fill('student-demo-2');
    await page.getByRole('button', { name: t(locale, 'auditor.filter.submit') }).click();
    const table = (count: number, pageNumber: number) => page.getByRole('table', { name: t(locale, 'auditor.disclosures.caption', { count, page: pageNumber }) });
    const pager = page.getByRole('navigation', { name: t(locale, 'auditor.pager.label') });
    await table(25, 1).waitFor();
    // The first page holds the oldest 25, in the API's order.
    expect(await table(25, 1).locator('tbody th .auditor-id').allTextContents()).toEqual(all.slice(0, 25).map((d) => d.disclosureId));
    // The second page's answer is held until the page has been looked at while it loads: no table
    // then, so a page number never labels the rows of the page before.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/api\/disclosure\/v1\/audit\/disclosures\?.*cursor=/, async (route) => {
      await held;
      await route.continue();
    });
    await pager.getByRole('button', { name: t(locale, 'common.nextPage') }).click();
    await page.getByRole('status').filter({ hasText: t(locale, 'common.status.loading') }).waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    release();
    await table(second.length, 2).waitFor();
    // The pressed button may be gone with the old page: the focus is on the new page's heading.
    const results = page.getByRole('heading', { level: 2, name: t(locale, 'auditor.results.heading') });
    expect(await results.evaluate((heading) => heading === heading.ownerDocument.activeElement)).toBe(true);
    expect(await table(second.length, 2).locator('tbody th .auditor-id').allTextContents()).toEqual(second.map((d) => d.disclosureId));
    // On a fresh stack (the harness's) the second page is the last.
    if (all.length <= 50) expect(await pager.getByRole('button', { name: t(locale, 'common.nextPage') }).count()).toBe(0);
    await pager.getByRole('button', { name: t(locale, 'common.previousPage') }).click();
    await table(25, 1).waitFor();
    await page.context().close();
  }, 180_000);

  it("shows the API's refusal of a search filter and of a bundle id next to the field", async () => {
    const locale: Locale = 'fi';
    const page = await stack.newPage(locale);
    await signIn(page, DEMO.municipalityAuditor, '/auditor/disclosures');
    // Typed key by key, as a person types: the field keeps the focus while the page re-renders.
    const studentField = page.getByLabel(t(locale, 'auditor.filter.studentId'));
    await page.locator('.loading').waitFor({ state: 'detached' });
    await studentField.pressSequentially('not an id!');
    expect(await studentField.inputValue()).toBe('not an id!');
    expect(await studentField.evaluate((field) => field === field.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expectFieldError(page, 'studentId');
    await page.getByText(t(locale, 'auditor.results.fixFilter')).waitFor();

    // A professional's filter narrows the list to their decisions.
    await page.getByLabel(t(locale, 'auditor.filter.studentId')).fill('');
    await page.getByLabel(t(locale, 'auditor.filter.professionalId')).fill('nobody-demo');
    await page.getByRole('button', { name: t(locale, 'auditor.filter.submit') }).click();
    await page.getByText(t(locale, 'auditor.disclosures.empty')).waitFor();

    await page.goto(`${stack.webUrl}/auditor/bundle`);
    await page.getByLabel(t(locale, 'auditor.bundle.studentId')).fill('bad id/..');
    await page.getByRole('button', { name: t(locale, 'auditor.bundle.submit') }).click();
    await expectFieldError(page, 'studentId');
    expect(await page.getByRole('link', { name: /audit-bundle/ }).count()).toBe(0);
    await page.context().close();
  }, 120_000);

  it("offers the welfare area's auditor the queue but not the municipality's log state", async () => {
    const locale: Locale = 'sv';
    const page = await stack.newPage(locale);
    await signIn(page, DEMO.welfareAuditor, '/auditor/log');
    await page.getByText(t(locale, 'auditor.log.municipalityOnly')).waitFor();
    expect(await page.getByRole('heading', { name: t(locale, 'auditor.log.checkpoint') }).count()).toBe(0);
    await checkPage(page, `auditor-log-welfare-area-${locale}`);
    await page.context().close();
  }, 120_000);
});
