import type { Page } from 'playwright-core';
import { consentCard, grantForm } from './citizen-steps';
import { DEMO, expectAccessible, signIn, startWebStack, t, type WebStack } from './harness';

/** The element that has the focus, as the test needs to tell one control from another. */
interface Focused {
  readonly tag: string;
  readonly type: string;
  readonly name: string;
  readonly value: string;
  readonly id: string;
  readonly text: string;
  readonly inMain: boolean;
}

// A string, evaluated in the page: the test's TypeScript has no DOM types.
const FOCUSED = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  return { tag: e.tagName.toLowerCase(), type: e.type || '', name: e.getAttribute('name') || '', value: typeof e.value === 'string' ? e.value : '', id: e.id || '',
    text: (e.textContent || '').trim().slice(0, 80), inMain: Boolean(document.querySelector('main') && document.querySelector('main').contains(e)) };
})()`;

/** Every control of the grant form, in document order: what Tab must visit (one taken out of the tab order fails the test). */
const FORM_CONTROLS = `[...document.querySelectorAll('form.grant-form input, form.grant-form select, form.grant-form textarea, form.grant-form button')]
  .filter((e) => !e.disabled && e.type !== 'hidden')
  .map((e) => (e.getAttribute('name') || e.tagName.toLowerCase()) + (e.type === 'checkbox' || e.type === 'radio' ? '=' + e.value : ''))`;

const key = (f: Focused) => (f.name || f.tag) + (f.type === 'checkbox' || f.type === 'radio' ? `=${f.value}` : '');

/**
 * Every page works by keyboard alone (issue 18): the guardian gives a consent with Tab, Shift+Tab,
 * Space, typing and Enter only — no click, no fill — and the focus order reaches every field of
 * the form in the order it is read. And the skip link takes the focus past the header and menu.
 */
describe('keyboard alone', () => {
  let stack: WebStack;
  const STUDENT = 'student-demo-1';
  /** The demo student's synthetic name (scripts/demo.ts), as the guardian's pages show it. */
  const STUDENT_NAME = 'Aino Esimerkki';
  const locale = 'en';

  beforeAll(async () => {
    stack = await startWebStack('keyboard');
  }, 300_000);

  afterAll(async () => stack?.stop(), 120_000);

  it("the skip link moves the focus to the page's content", async () => {
    const page = await stack.newPage(locale);
    try {
      await signIn(page, DEMO.guardian, '/citizen/students');
      await page.getByRole('heading', { level: 1, name: t(locale, 'citizen.students.title') }).waitFor();
      // A page opens with its h1 focused. Shift+Tab back to the document's first control: the skip link.
      await page.locator('h1:focus').waitFor();
      let first: Focused | null = null;
      for (let presses = 0; presses < 50; presses++) {
        await page.keyboard.press('Shift+Tab');
        const at = await focused(page);
        if (!at) break; // before the first control: the browser's own
        first = at;
      }
      expect(first).toMatchObject({ tag: 'a', text: t(locale, 'common.skipToContent') });
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: t(locale, 'common.skipToContent') });
      expect(await focused(page)).toMatchObject({ tag: 'a', text: t(locale, 'common.skipToContent') });
      // Shown when focused (hidden off-screen until then).
      const box = await skip.boundingBox();
      expect(box && box.width > 1 && box.height > 1 && box.y >= 0 && box.x >= 0).toBe(true);
      await page.keyboard.press('Enter');
      expect(await focused(page)).toMatchObject({ id: 'main' });
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ inMain: true });
    } finally {
      await page.context().close();
    }
  }, 120_000);

  it('the consent form: Tab reaches every field in order, Space and typing fill it, Enter gives the consent', async () => {
    const page = await stack.newPage(locale);
    const purpose = 'keyboard: planning support for school attendance';
    try {
      await signIn(page, DEMO.guardian, `/citizen/students/${STUDENT}/consents/new`);
      await page.getByRole('heading', { level: 1, name: t(locale, 'citizen.grant.title', { student: STUDENT_NAME }) }).waitFor();
      await expectAccessible(page, 'grant form');
      const controls = (await page.evaluate(FORM_CONTROLS)) as string[];

      // Tab from the page's heading through the form, acting on each field as a keyboard user would.
      const visited: string[] = [];
      for (let presses = 0; presses < 100; presses++) {
        await page.keyboard.press('Tab');
        const at = await focused(page);
        if (!at) continue;
        const name = key(at);
        if (!controls.includes(name)) {
          if (visited.length > 0) throw new Error(`Tab left the form at ${JSON.stringify(at)} before reaching its submit button (visited ${visited.join(', ')})`);
          continue; // still before the form (the student's menu, links)
        }
        if (visited.at(-1) !== name) visited.push(name); // a date field takes several Tabs (day, month, year)
        else continue;
        if (name === 'categories=absences' || name === 'categories=grades' || name === 'recipient.roles=curator') await page.keyboard.press('Space');
        if (name === 'recipient.welfareAreaId') {
          // The page may have filled in the welfare area serving the school: type over whatever is there.
          await page.keyboard.press('ControlOrMeta+A');
          await page.keyboard.type('demo');
        }
        if (name === 'purpose') await page.keyboard.type(purpose);
        if (at.tag === 'button' && at.type === 'submit') break;
      }
      expect(visited).toEqual(controls);

      // Shift+Tab goes back to the field before the button, Tab returns to the button.
      await page.keyboard.press('Shift+Tab');
      expect(key((await focused(page))!)).toBe(controls.at(-2));
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ tag: 'button', type: 'submit' });

      // What the keys did: the right boxes checked and the text typed.
      const form = grantForm(page, locale);
      expect(await form.category('absences').isChecked()).toBe(true);
      expect(await form.category('grades').isChecked()).toBe(true);
      expect(await form.category('support_needs').isChecked()).toBe(false);
      expect(await form.role('curator').isChecked()).toBe(true);
      expect(await form.welfareArea.inputValue()).toBe('demo');
      expect(await form.purpose.inputValue()).toBe(purpose);

      await page.keyboard.press('Enter');
      await page.getByText(t(locale, 'citizen.consents.granted')).waitFor();
      await consentCard(page, purpose).getByText(t(locale, 'citizen.consent.status.active'), { exact: true }).waitFor();
      await expectAccessible(page, 'consents after the grant');
    } finally {
      await page.context().close();
    }
  }, 120_000);
});

function focused(page: Page): Promise<Focused | null> {
  return page.evaluate(FOCUSED) as Promise<Focused | null>;
}
