import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { changeConsent, grantConsent, openStudent, studentNav } from './citizen-steps';
import { ANY, checkPage, DEMO, expectAccessible, fillIssuerSignIn, LOCALES, signIn, startWebStack, t, tPattern, whole, type Locale, type WebStack } from './harness';

/**
 * The seed's story through the pages, as issue 18's acceptance tells it, on the whole stack in
 * Debian's Chromium: the guardian grants consent, the curator's request shows the explanation and
 * then the released data, the guardian pauses and then withdraws, the curator's next request is
 * denied, the guardian's log tells the decisions in plain language, the curator asks for emergency
 * access and the auditor reviews it. The guardian's part runs in Finnish, Swedish and English
 * (one round per language, each with a consent of its own); axe checks every page visited, and
 * the pages are saved as docs/screenshots/story-<step>-<locale>.png.
 */
describe("the seed's story in the browser", () => {
  let stack: WebStack;
  const STUDENT = 'student-demo-1';
  /** The demo student's synthetic name (scripts/demo.ts), as the guardian's pages show it. */
  const STUDENT_NAME = 'Aino Esimerkki';
  const EMERGENCY_JUSTIFICATION = 'The student was hurt during the school day; we must reach the guardians at once.';

  beforeAll(async () => {
    stack = await startWebStack('story');
  }, 300_000);

  afterAll(async () => stack?.stop(), 120_000);

  for (const locale of LOCALES) {
    it(`consent, request, pause, withdrawal, denial and the guardian's log (${locale})`, async () => {
      const guardian = await stack.newPage(locale);
      const curator = await stack.newPage(locale);
      try {
        // The guardian signs in from the app's own sign-in page, through the citizen issuer's.
        await guardian.goto('/');
        await guardian.getByRole('heading', { level: 1, name: t(locale, 'common.signIn.title') }).waitFor();
        await checkPage(guardian, `story-sign-in-${locale}`);
        await guardian.getByRole('link', { name: t(locale, 'common.signIn.provider.citizen') }).click();
        await expectAccessible(guardian, "the citizen issuer's sign-in page");
        await fillIssuerSignIn(guardian, DEMO.guardian);

        await openStudent(guardian, locale, STUDENT_NAME, 'story');
        const purpose = `story ${locale}: planning support for school attendance`;
        await grantConsent(guardian, locale, STUDENT_NAME, { categories: ['absences', 'grades'], roles: ['curator'], purpose }, 'story');

        // The curator: the explanation first (what the consent would release), then the released data.
        await signIn(curator, DEMO.curator, '/professional/request');
        await disclosureSays('permit');
        await fillRequest(curator, locale, { categories: ['absences', 'grades'], basis: 'consent', purpose: `follow-up ${locale}` });
        await explanation(curator, locale).getByText(t(locale, 'professional.explanation.summary.permit')).waitFor();
        await checkPage(curator, `story-professional-request-${locale}`);
        await curator.getByRole('button', { name: t(locale, 'professional.request.submit') }).click();
        await curator.getByRole('heading', { name: t(locale, 'professional.answer.title') }).waitFor();
        const released = curator.getByRole('region', { name: t(locale, 'professional.answer.dataTitle') });
        for (const category of ['absences', 'grades']) await released.getByRole('table', { name: new RegExp(`^${t(locale, `common.category.${category}`)}`, 'i') }).waitFor();
        await checkPage(curator, `story-professional-answer-${locale}`);

        // The guardian pauses: the curator's explanation now says nothing would be released.
        await changeConsent(guardian, locale, purpose, 'pause', 'story');
        await disclosureSays('deny');
        await curator.getByRole('button', { name: t(locale, 'professional.answer.newRequest') }).click();
        await fillRequest(curator, locale, { categories: ['absences', 'grades'], basis: 'consent', purpose: `after the pause ${locale}` });
        await explanation(curator, locale).getByText(t(locale, 'professional.explanation.summary.deny')).waitFor();
        await expectAccessible(curator, `the request form after the pause (${locale})`);

        // Then withdraws for good: the curator's next request is denied, and nothing is released.
        await changeConsent(guardian, locale, purpose, 'withdraw', 'story');
        await disclosureSays('deny');
        await curator.getByRole('button', { name: t(locale, 'professional.request.submit') }).click();
        await curator.getByRole('heading', { name: t(locale, 'professional.answer.title') }).waitFor();
        await curator.getByText(t(locale, 'professional.answer.nothingReleased')).waitFor();
        await checkPage(curator, `story-professional-denied-${locale}`);

        // The guardian's log tells both decisions in plain language.
        await studentNav(guardian, locale).getByRole('link', { name: t(locale, 'citizen.studentNav.log') }).click();
        await guardian.getByRole('heading', { level: 1, name: t(locale, 'citizen.log.title', { student: STUDENT_NAME }) }).waitFor();
        const sentence = (requestPurpose: string, outcome: 'permit' | 'deny') =>
          tPattern(locale, 'citizen.log.sentence', {
            when: ANY,
            professional: DEMO.curator.subject,
            profession: t(locale, 'common.role.curator'),
            organisation: ANY,
            basis: t(locale, 'common.basis.consent'),
            purpose: requestPurpose,
            outcome,
            released: ANY,
          });
        await guardian.getByRole('listitem').filter({ hasText: sentence(`follow-up ${locale}`, 'permit') }).waitFor();
        await guardian.getByRole('listitem').filter({ hasText: sentence(`after the pause ${locale}`, 'deny') }).waitFor();
        await checkPage(guardian, `story-log-${locale}`);
      } finally {
        await guardian.context().close();
        await curator.context().close();
      }
    }, 240_000);
  }

  it('the curator asks for emergency access, and the auditor reviews it', async () => {
    const locale: Locale = 'en';
    const curator = await stack.newPage(locale);
    const auditor = await stack.newPage(locale);
    try {
      await signIn(curator, DEMO.curator, '/professional/emergency');
      await fillRequest(curator, locale, { categories: ['identification', 'guardian_contacts'], purpose: 'the student was hurt at school' });
      await curator.getByLabel(t(locale, 'professional.request.justification')).fill(EMERGENCY_JUSTIFICATION);
      await checkPage(curator, `story-professional-emergency-${locale}`);
      await curator.getByRole('button', { name: t(locale, 'professional.emergency.submit') }).click();
      await curator.getByText(t(locale, 'professional.emergency.reviewed')).waitFor();
      await checkPage(curator, `story-professional-emergency-answer-${locale}`);

      await signIn(auditor, DEMO.municipalityAuditor, '/auditor/emergency-reviews');
      await reviewEmergency(auditor, locale);
    } finally {
      await curator.context().close();
      await auditor.context().close();
    }
  }, 180_000);

  /** The professional's request form, for the demo's student: the live explanation beside it. */
  const explanation = (page: Page, locale: Locale) => page.getByRole('region', { name: t(locale, 'professional.explanation.title') });

  /** Fills the professional's request form (the request or the emergency one) for the demo's student. */
  async function fillRequest(page: Page, locale: Locale, request: { categories: string[]; basis?: string; purpose: string }): Promise<void> {
    await page.getByLabel(t(locale, 'professional.request.studentId')).selectOption(STUDENT);
    const group = page.getByRole('group', { name: t(locale, 'professional.request.categories') });
    for (const box of await group.getByRole('checkbox').all()) await box.uncheck();
    for (const category of request.categories) await group.getByRole('checkbox', { name: whole(t(locale, `common.category.${category}`)) }).check();
    if (request.basis) await page.getByRole('group', { name: t(locale, 'professional.request.basis') }).getByRole('radio', { name: whole(t(locale, `common.basis.${request.basis}`)) }).check();
    await page.getByLabel(t(locale, 'professional.request.purpose')).fill(request.purpose);
  }

  /**
   * Until disclosure's view has the guardian's last change: consent's events reach it through
   * Kafka, and the page, like any client, may ask sooner (the API's consistentWith token is for
   * clients that hold the change's answer; the curator's browser does not). Asked through the
   * explain endpoint, which records nothing.
   */
  async function disclosureSays(outcome: 'permit' | 'deny'): Promise<void> {
    const token = await stack.tokenFor(DEMO.curator);
    const deadline = Date.now() + 60_000;
    let answer: unknown;
    for (;;) {
      const response = await fetch(`${stack.silta.apps.disclosure.url}/v1/disclosures/explain`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ requestId: randomUUID(), studentId: STUDENT, categories: ['absences', 'grades'], basis: 'consent', purpose: 'is the change through?' }),
      });
      answer = await response.json();
      if ((answer as { outcome?: string }).outcome === outcome) return;
      if (Date.now() > deadline) throw new Error(`disclosure's view never said ${outcome}: ${JSON.stringify(answer)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The municipality's auditor (the controller) finds the curator's emergency access in the queue and records it as justified. */
  async function reviewEmergency(page: Page, locale: Locale): Promise<void> {
    await page.getByRole('heading', { level: 1, name: t(locale, 'auditor.emergency.title') }).waitFor();
    const name = t(locale, 'auditor.emergency.itemTitle', { role: t(locale, 'common.role.curator'), sub: DEMO.curator.subject, studentId: STUDENT });
    const access = page.getByRole('article', { name });
    await access.getByText(EMERGENCY_JUSTIFICATION).waitFor();
    await checkPage(page, `story-auditor-queue-${locale}`);
    await access.getByRole('button', { name: t(locale, 'auditor.emergency.review') }).click();
    const review = page.getByRole('region', { name: t(locale, 'auditor.review.formTitle', { name }) });
    await review.getByRole('radio', { name: t(locale, 'auditor.review.justified'), exact: true }).check();
    await review.getByLabel(t(locale, 'auditor.review.note')).fill('The guardians had to be reached at once; only their contact details were used.');
    await expectAccessible(page, 'the review form');
    await review.getByRole('button', { name: t(locale, 'auditor.review.continue') }).click();
    const confirmation = page.getByRole('region', { name: t(locale, 'auditor.review.confirmTitle') });
    await confirmation.getByText(t(locale, 'auditor.review.confirmText', { name, outcome: 'justified' })).waitFor();
    await checkPage(page, `story-auditor-confirm-${locale}`);
    await confirmation.getByRole('button', { name: t(locale, 'auditor.review.record') }).click();
    await page.getByText(t(locale, 'auditor.emergency.recorded', { name, outcome: 'justified', reviewedAs: 'controller' })).waitFor();
    await checkPage(page, `story-auditor-reviewed-${locale}`);
  }

});
