import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../../api';
import { Form, TextField, useSubmit } from '../../../components/form';
import { Loading, PageTitle, ProblemNotice, useLoad } from '../../../components/status';
import { Link, segment } from '../../../router';
import { useDraft } from '../../../session';
import type { School } from '../shared/api-shapes';
import { explained } from '../shared/explain-problem';
import { LiveRegion } from '../shared/live-region';
import { allSchools } from '../shared/lookups';
import { ServedBy, schoolPath } from './schools-page';
import { StudentTable } from './student-table';

/** `/admin/schools/:schoolId`: one school — who serves it, its students, enrolling a new one. */
export function SchoolPage({ schoolId }: { schoolId: string }) {
  const school = useLoad(async (signal) => (await allSchools(signal)).find((s) => s.schoolId === schoolId), [schoolId]);
  const intl = useIntl();
  return (
    <>
      <p>
        <Link to="/admin/schools">
          <FormattedMessage id="admin.schools.back" />
        </Link>
      </p>
      {school.problem ? (
        <ProblemNotice problem={school.problem} />
      ) : school.loading && !school.data ? (
        <Loading />
      ) : !school.data ? (
        <>
          <PageTitle>
            <FormattedMessage id="admin.school.notFound" />
          </PageTitle>
          <p>{intl.formatMessage({ id: 'admin.school.notFoundBody' }, { schoolId })}</p>
        </>
      ) : (
        <SchoolView school={school.data} onChanged={school.reload} />
      )}
    </>
  );
}

function SchoolView({ school, onChanged }: { school: School; onChanged: () => void }) {
  return (
    <>
      <PageTitle>{school.name}</PageTitle>
      <dl className="facts">
        <dt>
          <FormattedMessage id="admin.school.schoolId" />
        </dt>
        <dd>{school.schoolId}</dd>
        <dt>
          <FormattedMessage id="admin.school.servedBy" />
        </dt>
        <dd>
          <ServedBy welfareAreaId={school.servedByWelfareAreaId} />
        </dd>
      </dl>
      <section className="panel" aria-labelledby="school-students">
        <h2 id="school-students">
          <FormattedMessage id="admin.students.title" />
        </h2>
        <p className="admin-list-actions">
          <Link to={`${schoolPath(school.schoolId)}/enroll`} className="button primary">
            <FormattedMessage id="admin.enroll.open" />
          </Link>
        </p>
        <StudentTable schoolId={school.schoolId} />
      </section>
      <ServiceForm school={school} onChanged={onChanged} />
    </>
  );
}

const SERVICE_WORDING = { fields: { welfareAreaId: 'admin.field.id.invalid' } } as const;

/** Which welfare area serves the school: only its professionals can be assigned here. */
function ServiceForm({ school, onChanged }: { school: School; onChanged: () => void }) {
  const intl = useIntl();
  const [draft, setDraft, clearDraft] = useDraft(`admin.service.${school.schoolId}`, { welfareAreaId: school.servedByWelfareAreaId ?? '' });
  const { busy, problem, run } = useSubmit();
  const [saved, setSaved] = useState<string>();
  const label = intl.formatMessage({ id: 'admin.service.welfareAreaId' });
  const submit = () =>
    void run(async () => {
      setSaved(undefined);
      const answer = await explained(
        api<{ welfareAreaId: string }>('roster', `v1/schools/${segment(school.schoolId)}/service`, { method: 'PUT', body: draft }),
        SERVICE_WORDING,
        intl,
      );
      clearDraft();
      setDraft({ welfareAreaId: answer.welfareAreaId });
      setSaved(intl.formatMessage({ id: 'admin.service.saved' }, { welfareAreaId: answer.welfareAreaId }));
      onChanged();
    });
  return (
    <section className="panel" aria-labelledby="school-service">
      <h2 id="school-service">
        <FormattedMessage id="admin.service.title" />
      </h2>
      <p>
        <FormattedMessage id="admin.service.intro" />
      </p>
      <LiveRegion>{saved}</LiveRegion>
      <Form onSubmit={submit} problem={problem} busy={busy} fields={{ welfareAreaId: label }} submitLabel={<FormattedMessage id="admin.service.submit" />}>
        <TextField
          name="welfareAreaId"
          label={label}
          hint={<FormattedMessage id="admin.service.hint" />}
          required
          maxLength={200}
          value={draft.welfareAreaId}
          onChange={(welfareAreaId) => setDraft({ welfareAreaId })}
          error={problem?.fieldMessage('welfareAreaId')}
        />
      </Form>
    </section>
  );
}
