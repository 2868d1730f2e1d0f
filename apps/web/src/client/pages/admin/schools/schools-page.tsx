import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../../api';
import { Form, TextField, useSubmit } from '../../../components/form';
import { Loading, PageTitle, ProblemNotice } from '../../../components/status';
import { Link, navigate, segment } from '../../../router';
import { useDraft } from '../../../session';
import type { School, SchoolsPage } from '../shared/api-shapes';
import { explained } from '../shared/explain-problem';
import { usePages } from '../shared/use-pages';

export const schoolPath = (schoolId: string) => `/admin/schools/${segment(schoolId)}`;

/** `/admin/schools`: the school admin's municipality's schools, and registering a new one. */
export function SchoolsPage() {
  const schools = usePages<School>(async (cursor, signal) => {
    const page = await api<SchoolsPage>('roster', 'v1/schools', { query: { cursor }, signal });
    return { items: page.schools, nextCursor: page.nextCursor };
  }, []);
  return (
    <>
      <PageTitle>
        <FormattedMessage id="admin.schools.title" />
      </PageTitle>
      <p>
        <FormattedMessage id="admin.schools.intro" />
      </p>
      {schools.problem && <ProblemNotice problem={schools.problem} />}
      {schools.items ? <SchoolTable schools={schools.items} /> : !schools.problem && <Loading />}
      {schools.hasMore && (
        <div className="admin-list-actions">
          <button type="button" className="secondary" onClick={schools.more} disabled={schools.loading}>
            <FormattedMessage id="admin.list.more" />
          </button>
        </div>
      )}
      <RegisterSchoolForm />
    </>
  );
}

function SchoolTable({ schools }: { schools: readonly School[] }) {
  if (schools.length === 0)
    return (
      <p>
        <FormattedMessage id="admin.schools.none" />
      </p>
    );
  return (
    <div className="table-wrap">
      <table>
        <caption>
          <FormattedMessage id="admin.schools.caption" values={{ count: schools.length }} />
        </caption>
        <thead>
          <tr>
            <th scope="col">
              <FormattedMessage id="admin.school.name" />
            </th>
            <th scope="col">
              <FormattedMessage id="admin.school.schoolId" />
            </th>
            <th scope="col">
              <FormattedMessage id="admin.school.servedBy" />
            </th>
          </tr>
        </thead>
        <tbody>
          {schools.map((school) => (
            <tr key={school.schoolId}>
              <th scope="row">
                <Link to={schoolPath(school.schoolId)}>{school.name}</Link>
              </th>
              <td>{school.schoolId}</td>
              <td>
                <ServedBy welfareAreaId={school.servedByWelfareAreaId} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The serving welfare area, or a word (with a tag, not colour alone) that none is declared. */
export function ServedBy({ welfareAreaId }: { welfareAreaId: string | null }) {
  return welfareAreaId ? (
    <>{welfareAreaId}</>
  ) : (
    <span className="tag tag-partial">
      <FormattedMessage id="admin.school.notServed" />
    </span>
  );
}

const REGISTER_WORDING = {
  fields: { schoolId: 'admin.field.id.invalid', name: 'admin.field.text.invalid' },
  codes: { school_exists: ['schoolId', 'admin.schools.register.exists'], id_reused: ['schoolId', 'admin.schools.register.exists'] },
} as const;

function RegisterSchoolForm() {
  const intl = useIntl();
  const [draft, setDraft, clearDraft] = useDraft('admin.register-school', { schoolId: '', name: '' });
  const { busy, problem, run } = useSubmit();
  const labels = { schoolId: intl.formatMessage({ id: 'admin.school.schoolId' }), name: intl.formatMessage({ id: 'admin.school.name' }) };
  const submit = () =>
    void run(async () => {
      await explained(api('roster', 'v1/schools', { method: 'POST', body: draft }), REGISTER_WORDING, intl);
      const schoolId = draft.schoolId;
      clearDraft();
      navigate(schoolPath(schoolId));
    });
  return (
    <section className="panel" aria-labelledby="register-school">
      <h2 id="register-school">
        <FormattedMessage id="admin.schools.register.title" />
      </h2>
      <Form onSubmit={submit} problem={problem} busy={busy} fields={labels} submitLabel={<FormattedMessage id="admin.schools.register.submit" />}>
        <TextField
          name="schoolId"
          label={labels.schoolId}
          hint={<FormattedMessage id="admin.field.id.hint" />}
          required
          maxLength={200}
          value={draft.schoolId}
          onChange={(schoolId) => setDraft((d) => ({ ...d, schoolId }))}
          error={problem?.fieldMessage('schoolId')}
        />
        <TextField
          name="name"
          label={labels.name}
          required
          maxLength={200}
          value={draft.name}
          onChange={(name) => setDraft((d) => ({ ...d, name }))}
          error={problem?.fieldMessage('name')}
        />
      </Form>
    </section>
  );
}
