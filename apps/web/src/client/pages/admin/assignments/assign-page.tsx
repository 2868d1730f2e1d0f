import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../../api';
import { useTerms } from '../../../components/format';
import { Form, SelectField, TextField, useSubmit } from '../../../components/form';
import { PageTitle } from '../../../components/status';
import { Link, navigate } from '../../../router';
import { PROFESSIONS, useDraft, useUser } from '../../../session';
import { orgId } from '../shared/api-shapes';
import { explained } from '../shared/explain-problem';

const WORDING = {
  fields: {
    assignmentId: 'admin.field.id.invalid',
    professionalId: 'admin.field.id.invalid',
    schoolId: 'admin.field.id.invalid',
    validFrom: 'admin.assign.date.invalid',
    validUntil: 'admin.assign.date.invalid',
  },
  codes: {
    assignment_exists: ['assignmentId', 'admin.assign.assignmentId.taken'],
    id_reused: ['assignmentId', 'admin.assign.assignmentId.taken'],
    school_not_found: ['schoolId', 'admin.enroll.schoolId.notFound'],
    school_not_served: ['schoolId', 'admin.assign.schoolId.notServed'],
    invalid_validity_period: ['validUntil', 'admin.assign.validUntil.beforeFrom'],
  },
} as const;

const today = () => new Date().toISOString().slice(0, 10);

/** `/admin/assignments/new`: assign one of the welfare area's professionals to a school it serves. */
export function AssignPage() {
  const intl = useIntl();
  const term = useTerms();
  const user = useUser();
  const welfareAreaId = orgId(user.org, 'welfare-area') ?? '';
  const [draft, setDraft, clearDraft] = useDraft('admin.assign', { assignmentId: '', professionalId: '', role: '', schoolId: '', validFrom: today(), validUntil: '' });
  const { busy, problem, run } = useSubmit();
  const set = (field: keyof typeof draft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const label = (field: string) => intl.formatMessage({ id: `admin.assignment.${field}` });
  const labels = {
    assignmentId: label('assignmentId'),
    professionalId: label('professionalId'),
    role: label('role'),
    schoolId: label('schoolId'),
    validFrom: label('validFrom'),
    validUntil: label('validUntil'),
    welfareAreaId: label('welfareAreaId'),
  };
  const submit = () =>
    void run(async () => {
      const { validUntil, ...rest } = draft;
      // The welfare area is the admin's own (the API refuses any other); it is not a choice on the form.
      const body = { ...rest, welfareAreaId, ...(validUntil && { validUntil }) };
      await explained(api('roster', 'v1/assignments', { method: 'POST', body }), WORDING, intl);
      const schoolId = draft.schoolId;
      clearDraft();
      navigate(`/admin/assignments?${new URLSearchParams({ schoolId })}`);
    });
  return (
    <>
      <p>
        <Link to="/admin/assignments">
          <FormattedMessage id="admin.assign.back" />
        </Link>
      </p>
      <PageTitle>
        <FormattedMessage id="admin.assign.title" />
      </PageTitle>
      <p>
        <FormattedMessage id="admin.assign.intro" values={{ welfareAreaId }} />
      </p>
      <Form onSubmit={submit} problem={problem} busy={busy} fields={labels} submitLabel={<FormattedMessage id="admin.assign.submit" />}>
        <TextField name="assignmentId" label={labels.assignmentId} hint={<FormattedMessage id="admin.field.id.hint" />} required maxLength={200} value={draft.assignmentId} onChange={set('assignmentId')} error={problem?.fieldMessage('assignmentId')} />
        <TextField name="professionalId" label={labels.professionalId} hint={<FormattedMessage id="admin.assign.professionalId.hint" />} required maxLength={200} value={draft.professionalId} onChange={set('professionalId')} error={problem?.fieldMessage('professionalId')} />
        <SelectField
          name="role"
          label={labels.role}
          required
          value={draft.role}
          onChange={set('role')}
          placeholder={intl.formatMessage({ id: 'admin.assign.role.choose' })}
          options={PROFESSIONS.map((role) => ({ value: role, label: term('role', role) }))}
          error={problem?.fieldMessage('role')}
        />
        <TextField name="schoolId" label={labels.schoolId} hint={<FormattedMessage id="admin.assign.schoolId.hint" />} required maxLength={200} value={draft.schoolId} onChange={set('schoolId')} error={problem?.fieldMessage('schoolId')} />
        <TextField name="validFrom" type="date" label={labels.validFrom} required value={draft.validFrom} onChange={set('validFrom')} error={problem?.fieldMessage('validFrom')} />
        <TextField name="validUntil" type="date" label={labels.validUntil} hint={<FormattedMessage id="admin.assign.validUntil.hint" />} value={draft.validUntil} onChange={set('validUntil')} error={problem?.fieldMessage('validUntil')} />
        {problem?.fieldMessage('welfareAreaId') && (
          <p className="field-error" id="field-welfareAreaId">
            {labels.welfareAreaId}: {problem.fieldMessage('welfareAreaId')}
          </p>
        )}
      </Form>
    </>
  );
}
