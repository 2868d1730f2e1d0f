import type { Locator, Page } from 'playwright-core';
import { consentCard, fillGrantForm, grantForm } from './citizen-steps';
import { checkPage, DEMO, expectAccessible, fillIssuerSignIn, signIn, startWebStack, t, type Locale, type WebStack } from './harness';

/**
 * Issue 18's acceptance on forms: bad input shows a clear message next to the field (the API's
 * problem details mapped to it), and an expired session returns to sign-in without losing the
 * form. The issuers here hand out tokens that live TOKEN_TTL seconds, so a session ends while the
 * test waits for it (by asking the web server, never by a fixed sleep).
 */
describe('forms: the API\'s field errors, and a session that ends mid-form', () => {
  let stack: WebStack;
  const STUDENT = 'student-demo-1';
  /** The demo student's synthetic name (scripts/demo.ts), as the guardian's pages show it. */
  const STUDENT_NAME = 'Aino Esimerkki';
  // Long enough to sign in and fill a form on a busy CI machine; the expiry test waits it out once.
  const TOKEN_TTL = 30;

  beforeAll(async () => {
    stack = await startWebStack('session', { tokenTtlSeconds: TOKEN_TTL });
  }, 300_000);

  afterAll(async () => stack?.stop(), 120_000);

  for (const locale of ['fi', 'en'] as const) {
    it(`shows the API's refusal of a field next to that field (${locale})`, async () => {
      const page = await stack.newPage(locale);
      try {
        await signIn(page, DEMO.guardian, `/citizen/students/${STUDENT}/consents/new`);
        const form = grantForm(page, locale);
        // A welfare area id the API refuses (not an id: spaces and punctuation); the page itself has no rule for it.
        await fillGrantForm(page, locale, { categories: ['absences'], roles: ['curator'], purpose: 'field errors', welfareAreaId: 'the welfare area, please!' });
        const consents = await consentsOf();
        await form.submit.click();
        // The page's answer to the refusal: its error summary, which names the fields to check.
        await page.getByRole('heading', { name: t(locale, 'common.form.summaryFields') }).or(page.getByRole('heading', { name: t(locale, 'common.form.summaryFailed') })).waitFor();

        await expectFieldError(page, form.welfareArea);
        // The summary links to the field.
        expect(await page.getByRole('link', { name: new RegExp(`^${t(locale, 'citizen.grant.welfareArea')}`) }).count()).toBe(1);
        await checkPage(page, `session-field-error-${locale}`);
        // Nothing was written: the student's consents are as before.
        expect(await consentsOf()).toEqual(consents);
      } finally {
        await page.context().close();
      }
    }, 120_000);
  }

  it('an expired session returns to sign-in, and signing in again brings back what was typed', async () => {
    const locale: Locale = 'en';
    const page = await stack.newPage(locale);
    const purpose = 'session: typed before the session ended';
    try {
      await signIn(page, DEMO.guardian, `/citizen/students/${STUDENT}/consents/new`);
      const form = grantForm(page, locale);
      await fillGrantForm(page, locale, { categories: ['absences', 'grades'], roles: ['curator'], purpose });

      // Wait until the web server no longer knows the session (its token has expired).
      const deadline = Date.now() + (TOKEN_TTL + 60) * 1000;
      while ((await page.request.get('/auth/session')).status() !== 401) {
        if (Date.now() > deadline) throw new Error(`the session did not end within ${TOKEN_TTL + 60} s`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }

      await form.submit.click();
      await page.getByRole('heading', { level: 1, name: t(locale, 'common.signIn.title') }).waitFor();
      await page.getByText(t(locale, 'common.signIn.expired')).waitFor();
      await checkPage(page, `session-expired-${locale}`);

      await page.getByRole('link', { name: t(locale, 'common.signIn.provider.citizen') }).click();
      await fillIssuerSignIn(page, DEMO.guardian);
      await page.getByRole('heading', { level: 1, name: t(locale, 'citizen.grant.title', { student: STUDENT_NAME }) }).waitFor();
      expect(await form.purpose.inputValue()).toBe(purpose);
      expect(await form.welfareArea.inputValue()).toBe('demo');
      expect(await form.category('absences').isChecked()).toBe(true);
      expect(await form.category('grades').isChecked()).toBe(true);
      expect(await form.role('curator').isChecked()).toBe(true);
      await expectAccessible(page, 'the grant form after signing in again');

      // And it can be sent now: the consent is given once.
      await form.submit.click();
      await page.getByText(t(locale, 'citizen.consents.granted')).waitFor();
      expect(await consentCard(page, purpose).count()).toBe(1);
    } finally {
      await page.context().close();
    }
  }, 180_000);

  /** The student's consents as the consent API lists them to the guardian: to see that a refused form wrote nothing. */
  async function consentsOf(): Promise<unknown> {
    const token = await stack.tokenFor(DEMO.guardian);
    const response = await fetch(`${stack.silta.apps.consent.url}/v1/students/${STUDENT}/consents`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return response.json();
  }
});

/** The field is marked invalid and its error text is tied to it (aria-describedby), shown next to it. */
async function expectFieldError(page: Page, field: Locator): Promise<void> {
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
  const errorId = describedBy.split(/\s+/).find((id) => id.endsWith('-error'));
  expect(errorId).toBeDefined();
  const error = page.locator(`[id="${errorId}"]`);
  const text = (await error.innerText()).trim();
  expect(text.length).toBeGreaterThan(10);
  // Next to the field: the error is in the same field frame as the control.
  expect(await field.locator('xpath=..').locator(`[id="${errorId}"]`).count()).toBe(1);
}
