import type { Page } from 'playwright-core';
import { checkPage, DEMO, LOCALES, signIn, startWebStack, t, type Locale, type WebStack } from './harness';

/**
 * The admins' pages in Debian's Chromium on the whole stack: the school admin's schools, school,
 * student and enrolment pages and the welfare admin's assignment pages open in Finnish, Swedish and
 * English with no serious or critical axe violation (screenshots docs/screenshots/admin-*.png); the
 * forms show the API's refusals next to the fields they concern and write nothing on bad input;
 * unlinking a guardian and ending an assignment happen only after the in-page confirmation.
 */
describe("the admins' pages in the browser", () => {
  let stack: WebStack;

  beforeAll(async () => {
    stack = await startWebStack('admin');
  }, 300_000);

  afterAll(async () => stack?.stop(), 120_000);

  /** roster's answer to a GET, as the test's own caller sees it beside the browser. */
  async function roster<T>(person: typeof DEMO.schoolAdmin | typeof DEMO.welfareAdmin, path: string): Promise<T> {
    const response = await fetch(`${stack.silta.apps.roster.url}${path}`, { headers: { authorization: `Bearer ${await stack.tokenFor(person)}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  type Students = { students: Array<{ studentId: string; guardians: Array<{ guardianId: string }>; welfareAccess: boolean }> };
  type Assignments = { assignments: Array<{ assignmentId: string; ended: boolean }> };
  const studentsAt = (schoolId: string) => roster<Students>(DEMO.schoolAdmin, `/v1/schools/${schoolId}/students?limit=1000`).then((page) => page.students);
  const assignments = () => roster<Assignments>(DEMO.welfareAdmin, '/v1/assignments?limit=1000').then((page) => page.assignments);

  /** The error shown next to the field named `name` (the API's field path), once it says `text`; the control is marked invalid and described by it. */
  async function expectFieldError(page: Page, name: string, text: string): Promise<void> {
    const id = `field-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
    await page.locator(`#${id}-error`, { hasText: text }).waitFor();
    const control = page.locator(`#${id}`);
    expect(await control.getAttribute('aria-invalid')).toBe('true');
    expect((await control.getAttribute('aria-describedby'))?.split(' ')).toContain(`${id}-error`);
    // The summary at the top of the form links to the field.
    await page.locator(`.error-summary a[href="#${id}"]`).waitFor();
  }

  const submit = (page: Page, locale: Locale, key: string) => page.getByRole('button', { name: t(locale, key), exact: true }).click();

  for (const locale of LOCALES) {
    it(`opens the school admin's pages in ${locale}`, async () => {
      const page = await stack.newPage(locale);
      await signIn(page, DEMO.schoolAdmin, '/admin/schools');
      // The menu offers the school admin's pages only.
      const menu = page.getByRole('navigation', { name: t(locale, 'common.nav.label') });
      await menu.getByRole('link', { name: t(locale, 'admin.nav.schools') }).waitFor();
      expect(await menu.getByRole('link', { name: t(locale, 'admin.nav.assignments') }).count()).toBe(0);

      await page.getByRole('table', { name: t(locale, 'admin.schools.caption', { count: 2 }) }).waitFor();
      await checkPage(page, `admin-schools-${locale}`);

      await page.getByRole('link', { name: 'Esimerkkikoulu', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Esimerkkikoulu' }).waitFor();
      await page.getByRole('link', { name: 'Aino Esimerkki', exact: true }).waitFor();
      await checkPage(page, `admin-school-${locale}`);

      await page.getByRole('link', { name: 'Aino Esimerkki', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Aino Esimerkki' }).waitFor();
      await page.getByRole('table', { name: t(locale, 'admin.guardians.caption', { name: 'Aino Esimerkki' }) }).getByRole('rowheader', { name: 'Ilona Esimerkki' }).waitFor();
      await checkPage(page, `admin-student-${locale}`);

      await page.getByRole('link', { name: t(locale, 'admin.student.back') }).click();
      await page.getByRole('link', { name: t(locale, 'admin.enroll.open') }).click();
      await page.getByRole('heading', { level: 1, name: t(locale, 'admin.enroll.title', { schoolId: 'school-demo-1' }) }).waitFor();
      await checkPage(page, `admin-enroll-${locale}`);
      await page.context().close();
    }, 120_000);

    it(`opens the welfare admin's pages in ${locale}`, async () => {
      const page = await stack.newPage(locale);
      await signIn(page, DEMO.welfareAdmin, '/admin/assignments');
      const table = page.getByRole('table', { name: t(locale, 'admin.assignments.caption', { count: 2, schoolId: 'all' }) });
      await table.getByRole('row', { name: /curator-demo-1/ }).waitFor();
      await checkPage(page, `admin-assignments-${locale}`);

      // A school id the API refuses in the filter is shown at the filter.
      await page.goto('/admin/assignments?schoolId=not%20an%20id');
      await page.locator('#field-schoolId-error', { hasText: t(locale, 'admin.field.id.invalid') }).waitFor();
      expect(await page.locator('#field-schoolId').getAttribute('aria-invalid')).toBe('true');

      await page.getByRole('link', { name: t(locale, 'admin.assign.open') }).click();
      await page.getByRole('heading', { level: 1, name: t(locale, 'admin.assign.title') }).waitFor();
      await checkPage(page, `admin-assign-${locale}`);

      // A school admin's page is not there for a welfare admin.
      await page.goto('/admin/schools');
      await page.getByRole('heading', { level: 1, name: t(locale, 'common.notFound.title') }).waitFor();
      await page.context().close();
    }, 120_000);
  }

  it('enrolment shows an invalid birth date and a taken student id next to their fields, and writes nothing until both are right', async () => {
    const locale: Locale = 'fi';
    const page = await stack.newPage(locale);
    await signIn(page, DEMO.schoolAdmin, '/admin/schools/school-demo-1/enroll');
    const field = (key: string) => page.getByLabel(t(locale, key), { exact: false });
    await field('admin.student.studentId').fill('student-admin-spec-1');
    await field('admin.student.name').fill('Testi Oppilas');
    await field('admin.student.group').fill('5C');
    // The date left empty: the API refuses birthDate, the form says so next to the field.
    await submit(page, locale, 'admin.enroll.submit');
    await expectFieldError(page, 'birthDate', t(locale, 'admin.enroll.birthDate.invalid'));
    expect((await studentsAt('school-demo-1')).map((s) => s.studentId)).not.toContain('student-admin-spec-1');

    // A student id already enrolled: roster's 409 already_enrolled shows at the id.
    await field('admin.student.birthDate').fill('2014-05-06');
    await field('admin.student.studentId').fill('student-demo-1');
    await submit(page, locale, 'admin.enroll.submit');
    await expectFieldError(page, 'studentId', t(locale, 'admin.enroll.studentId.taken'));

    await field('admin.student.studentId').fill('student-admin-spec-1');
    await submit(page, locale, 'admin.enroll.submit');
    await page.getByRole('heading', { level: 1, name: 'Testi Oppilas' }).waitFor();
    expect((await studentsAt('school-demo-1')).map((s) => s.studentId)).toContain('student-admin-spec-1');
    await page.context().close();
  }, 120_000);

  it('moves a student to another school of the municipality, and the page follows them', async () => {
    const locale: Locale = 'en';
    const page = await stack.newPage(locale);
    await signIn(page, DEMO.schoolAdmin, '/admin/schools/school-demo-1/students/student-admin-spec-1');
    await page.getByRole('heading', { level: 1, name: 'Testi Oppilas' }).waitFor();
    await page.getByRole('combobox', { name: t(locale, 'admin.transfer.schoolId') }).selectOption('school-demo-2');
    await submit(page, locale, 'admin.transfer.submit');
    await page.waitForURL((url) => url.pathname === '/admin/schools/school-demo-2/students/student-admin-spec-1');
    await page.getByRole('heading', { level: 1, name: 'Testi Oppilas' }).waitFor();
    expect((await studentsAt('school-demo-2')).map((s) => s.studentId)).toContain('student-admin-spec-1');
    expect((await studentsAt('school-demo-1')).map((s) => s.studentId)).not.toContain('student-admin-spec-1');
    await page.context().close();
  }, 120_000);

  it('registering a school with a taken id shows the conflict at the id', async () => {
    const locale: Locale = 'sv';
    const page = await stack.newPage(locale);
    await signIn(page, DEMO.schoolAdmin, '/admin/schools');
    const form = page.getByRole('region', { name: t(locale, 'admin.schools.register.title') });
    await form.getByLabel(t(locale, 'admin.school.schoolId')).fill('school-demo-1');
    await form.getByLabel(t(locale, 'admin.school.name')).fill('Dubblett');
    await submit(page, locale, 'admin.schools.register.submit');
    await expectFieldError(page, 'schoolId', t(locale, 'admin.schools.register.exists'));
    await page.context().close();
  }, 120_000);

  it("links a guardian after the contact's errors are shown at the contact, and unlinks only after the in-page confirmation", async () => {
    const locale: Locale = 'en';
    const page = await stack.newPage(locale);
    await signIn(page, DEMO.schoolAdmin, '/admin/schools/school-demo-1/students/student-demo-2');
    await page.getByRole('heading', { level: 1, name: 'Eetu Esimerkki' }).waitFor();
    await page.getByLabel(t(locale, 'admin.guardian.guardianId'), { exact: false }).fill('guardian-admin-spec-1');
    await page.getByLabel(t(locale, 'admin.guardian.name'), { exact: false }).fill('Test Guardian');
    await page.getByLabel(t(locale, 'admin.guardian.email'), { exact: false }).fill('not an email');
    await submit(page, locale, 'admin.guardians.link.submit');
    await expectFieldError(page, 'contact.email', t(locale, 'admin.guardian.email.invalid'));
    const guardiansOf = async () => (await studentsAt('school-demo-1')).find((s) => s.studentId === 'student-demo-2')!.guardians.map((g) => g.guardianId);
    expect(await guardiansOf()).not.toContain('guardian-admin-spec-1');

    await page.getByLabel(t(locale, 'admin.guardian.email'), { exact: false }).fill('test.guardian@example.org');
    await submit(page, locale, 'admin.guardians.link.submit');
    await page.locator('.admin-live', { hasText: t(locale, 'admin.guardians.linked', { guardian: 'Test Guardian', student: 'Eetu Esimerkki' }) }).waitFor();
    const guardians = page.getByRole('table', { name: t(locale, 'admin.guardians.caption', { name: 'Eetu Esimerkki' }) });
    await guardians.getByRole('row', { name: /Test Guardian/ }).waitFor();
    expect(await guardiansOf()).toContain('guardian-admin-spec-1');

    // Unlink asks first, in the page; cancelling changes nothing.
    const unlink = guardians.getByRole('button', { name: `${t(locale, 'admin.guardians.unlink')} Test Guardian` });
    await unlink.click();
    const question = page.getByRole('heading', { level: 3, name: t(locale, 'admin.guardians.confirm.title', { guardian: 'Test Guardian' }) });
    await question.waitFor();
    expect(await question.evaluate((heading) => heading === heading.ownerDocument.activeElement)).toBe(true);
    await checkPage(page, `admin-unlink-${locale}`);
    await page.getByRole('button', { name: t(locale, 'common.cancel'), exact: true }).click();
    await question.waitFor({ state: 'detached' });
    expect(await unlink.evaluate((button) => button === button.ownerDocument.activeElement)).toBe(true);
    expect(await guardiansOf()).toContain('guardian-admin-spec-1');

    await unlink.click();
    await page.locator('.confirm-step').getByRole('button', { name: t(locale, 'admin.guardians.confirm.yes'), exact: true }).click();
    await page.locator('.admin-live', { hasText: t(locale, 'admin.guardians.unlinked', { guardian: 'Test Guardian', student: 'Eetu Esimerkki' }) }).waitFor();
    await guardians.getByRole('row', { name: /Test Guardian/ }).waitFor({ state: 'detached' });
    expect(await guardiansOf()).not.toContain('guardian-admin-spec-1');
    await page.context().close();
  }, 120_000);

  it('the welfare access setting reaches roster', async () => {
    const locale: Locale = 'fi';
    const page = await stack.newPage(locale);
    await signIn(page, DEMO.schoolAdmin, '/admin/schools/school-demo-1/students/student-demo-2');
    const before = (await studentsAt('school-demo-1')).find((s) => s.studentId === 'student-demo-2')!.welfareAccess;
    const question = page.getByRole('group', { name: t(locale, 'admin.welfareAccess.question') });
    await question.getByRole('radio', { name: t(locale, before ? 'admin.student.welfareAccess.off' : 'admin.student.welfareAccess.on'), exact: true }).check();
    await page.getByRole('region', { name: t(locale, 'admin.welfareAccess.title') }).getByRole('button', { name: t(locale, 'admin.save') }).click();
    await page.locator('.admin-live', { hasText: t(locale, 'admin.welfareAccess.saved', { active: String(!before) }) }).waitFor();
    expect((await studentsAt('school-demo-1')).find((s) => s.studentId === 'student-demo-2')!.welfareAccess).toBe(!before);
    await page.context().close();
  }, 120_000);

  it("assigning shows the API's refusals at their fields; ending an assignment asks first", async () => {
    const locale: Locale = 'fi';
    const page = await stack.newPage(locale);
    await signIn(page, DEMO.welfareAdmin, '/admin/assignments/new');
    const field = (key: string) => page.getByLabel(t(locale, key), { exact: false });
    await field('admin.assignment.assignmentId').fill('assignment-admin-spec-1');
    await field('admin.assignment.professionalId').fill('psychologist-admin-spec-1');
    await page.getByRole('combobox', { name: t(locale, 'admin.assignment.role') }).selectOption('psychologist');
    await field('admin.assignment.schoolId').fill('not a school id');
    await submit(page, locale, 'admin.assign.submit');
    await expectFieldError(page, 'schoolId', t(locale, 'admin.field.id.invalid'));

    await field('admin.assignment.schoolId').fill('school-demo-2');
    await field('admin.assignment.validFrom').fill('2025-08-01');
    await field('admin.assignment.validUntil').fill('2025-06-01');
    await submit(page, locale, 'admin.assign.submit');
    await expectFieldError(page, 'validUntil', t(locale, 'admin.assign.validUntil.beforeFrom'));

    await field('admin.assignment.validUntil').fill('');
    await field('admin.assignment.assignmentId').fill('assignment-demo-curator-1');
    await submit(page, locale, 'admin.assign.submit');
    await expectFieldError(page, 'assignmentId', t(locale, 'admin.assign.assignmentId.taken'));
    expect((await assignments()).map((a) => a.assignmentId)).not.toContain('assignment-admin-spec-1');

    await field('admin.assignment.assignmentId').fill('assignment-admin-spec-1');
    await submit(page, locale, 'admin.assign.submit');
    const table = page.getByRole('table', { name: t(locale, 'admin.assignments.caption', { count: 2, schoolId: 'school-demo-2' }) });
    const row = table.getByRole('row', { name: /psychologist-admin-spec-1/ });
    await row.waitFor();

    // Ending asks first; cancelling leaves the assignment in force.
    const end = row.getByRole('button', { name: `${t(locale, 'admin.assignments.end')} assignment-admin-spec-1` });
    await end.click();
    await page.getByRole('heading', { level: 2, name: t(locale, 'admin.assignments.confirm.title', { professionalId: 'psychologist-admin-spec-1' }) }).waitFor();
    await page.getByRole('button', { name: t(locale, 'common.cancel'), exact: true }).click();
    expect((await assignments()).find((a) => a.assignmentId === 'assignment-admin-spec-1')?.ended).toBe(false);

    await end.click();
    await page.locator('.confirm-step').getByRole('button', { name: t(locale, 'admin.assignments.confirm.yes') }).click();
    await page.locator('.admin-live', { hasText: t(locale, 'admin.assignments.ended', { professionalId: 'psychologist-admin-spec-1', role: t(locale, 'common.role.psychologist'), schoolId: 'school-demo-2' }) }).waitFor();
    await row.getByText(t(locale, 'admin.assignment.status.ended')).waitFor();
    expect((await assignments()).find((a) => a.assignmentId === 'assignment-admin-spec-1')?.ended).toBe(true);
    await page.context().close();
  }, 120_000);
});
