// What a guardian does on the citizen pages, as the story, keyboard and session specs need it:
// controls found by their accessible names in the page's language (the message catalogues).
import type { Locator, Page } from 'playwright-core';
import { checkPage, expectAccessible, t, whole, type Locale } from './harness';

export interface ConsentToGive {
  readonly categories: readonly string[];
  readonly roles: readonly string[];
  readonly purpose: string;
  /** The welfare area's id as a guardian types it; the demo's is "demo". */
  readonly welfareAreaId?: string;
}

/** From the guardian's first page (their children) to one student's consents; `student` is the name the pages show. */
export async function openStudent(page: Page, locale: Locale, student: string, shots?: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('heading', { level: 1, name: t(locale, 'citizen.students.title') }).waitFor();
  await page.getByRole('link', { name: student, exact: true }).waitFor();
  if (shots) await checkPage(page, `${shots}-students-${locale}`);
  else await expectAccessible(page, `students (${locale})`);
  await page.getByRole('link', { name: student, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: t(locale, 'citizen.consents.title', { student }) }).waitFor();
}

/** The student's own menu (consents, give consent, log, report). */
export function studentNav(page: Page, locale: Locale): Locator {
  return page.getByRole('navigation', { name: t(locale, 'citizen.studentNav.label') });
}

/** The grant form's fields, by their labels. */
export function grantForm(page: Page, locale: Locale) {
  return {
    categories: page.getByRole('group', { name: t(locale, 'citizen.grant.categories') }),
    category: (category: string) => page.getByRole('group', { name: t(locale, 'citizen.grant.categories') }).getByRole('checkbox', { name: whole(t(locale, `common.category.${category}`)) }),
    welfareArea: page.getByLabel(t(locale, 'citizen.grant.welfareArea'), { exact: true }),
    role: (role: string) => page.getByRole('group', { name: t(locale, 'citizen.grant.roles') }).getByRole('checkbox', { name: whole(t(locale, `common.role.${role}`)) }),
    purpose: page.getByLabel(t(locale, 'citizen.grant.purpose'), { exact: true }),
    validFrom: page.getByLabel(t(locale, 'citizen.grant.validFrom'), { exact: true }),
    validUntil: page.getByLabel(t(locale, 'citizen.grant.validUntil'), { exact: true }),
    submit: page.getByRole('button', { name: t(locale, 'citizen.grant.submit'), exact: true }),
  };
}

/** On a student's pages: opens the grant form from the student's menu. */
export async function openGrantForm(page: Page, locale: Locale, student: string): Promise<void> {
  await studentNav(page, locale).getByRole('link', { name: t(locale, 'citizen.studentNav.grant') }).click();
  await page.getByRole('heading', { level: 1, name: t(locale, 'citizen.grant.title', { student }) }).waitFor();
}

/** Fills the grant form (with the mouse's stand-in, playwright's fill and check). */
export async function fillGrantForm(page: Page, locale: Locale, consent: ConsentToGive): Promise<void> {
  const form = grantForm(page, locale);
  for (const category of consent.categories) await form.category(category).check();
  await form.welfareArea.fill(consent.welfareAreaId ?? 'demo');
  for (const role of consent.roles) await form.role(role).check();
  await form.purpose.fill(consent.purpose);
}

/** Gives a consent through the form and waits for the consents page to say it was given. */
export async function grantConsent(page: Page, locale: Locale, student: string, consent: ConsentToGive, shots?: string): Promise<void> {
  await openGrantForm(page, locale, student);
  await fillGrantForm(page, locale, consent);
  if (shots) await checkPage(page, `${shots}-grant-${locale}`);
  else await expectAccessible(page, `grant form (${locale})`);
  await grantForm(page, locale).submit.click();
  await page.getByText(t(locale, 'citizen.consents.granted')).waitFor();
  await consentCard(page, consent.purpose).getByText(t(locale, 'citizen.consent.status.active'), { exact: true }).waitFor();
  if (shots) await checkPage(page, `${shots}-consents-${locale}`);
  else await expectAccessible(page, `consents (${locale})`);
}

/** The consent whose scope names `purpose` (each test gives its consents a purpose of their own). */
export function consentCard(page: Page, purpose: string): Locator {
  return page.getByRole('article').filter({ hasText: purpose });
}

/** Pauses, resumes or withdraws a consent through its in-page confirmation; waits for the page to say it is done. */
export async function changeConsent(page: Page, locale: Locale, purpose: string, change: 'pause' | 'resume' | 'withdraw', shots?: string): Promise<void> {
  const card = consentCard(page, purpose);
  await card.getByRole('button', { name: new RegExp(`^${t(locale, `citizen.consent.action.${change}`)}`) }).click();
  const confirmation = card.getByRole('region', { name: t(locale, `citizen.change.${change}.question`) });
  await confirmation.waitFor();
  if (shots) await checkPage(page, `${shots}-confirm-${change}-${locale}`);
  else await expectAccessible(page, `confirm ${change} (${locale})`);
  await confirmation.getByRole('button', { name: t(locale, `citizen.change.${change}.confirm`) }).click();
  await page.getByText(t(locale, `citizen.consents.changed.${change}`)).waitFor();
  const status = { pause: 'paused', resume: 'active', withdraw: 'withdrawn' }[change];
  await consentCard(page, purpose).getByText(t(locale, `citizen.consent.status.${status}`), { exact: true }).waitFor();
}
