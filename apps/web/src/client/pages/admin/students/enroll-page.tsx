import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../../api';
import { ChoiceGroup, Form, SelectField, TextField, useSubmit } from '../../../components/form';
import { PageTitle } from '../../../components/status';
import { Link, navigate } from '../../../router';
import { useDraft } from '../../../session';
import { EDUCATION_FORMS } from '../shared/api-shapes';
import { explained } from '../shared/explain-problem';
import { schoolPath } from '../schools/schools-page';
import { studentPath } from '../schools/student-table';

const WORDING = {
  fields: {
    studentId: 'admin.field.id.invalid',
    name: 'admin.field.text.invalid',
    group: 'admin.field.text.invalid',
    birthDate: 'admin.enroll.birthDate.invalid',
  },
  codes: {
    already_enrolled: ['studentId', 'admin.enroll.studentId.taken'],
    id_reused: ['studentId', 'admin.enroll.studentId.taken'],
    school_not_found: ['schoolId', 'admin.enroll.schoolId.notFound'],
  },
} as const;

const EMPTY = { studentId: '', name: '', birthDate: '', group: '', educationForm: 'basic_education', inCompulsoryEducation: 'no' };

/** `/admin/schools/:schoolId/enroll`: enroll a student at the school. */
export function EnrollPage({ schoolId }: { schoolId: string }) {
  const intl = useIntl();
  const [draft, setDraft, clearDraft] = useDraft(`admin.enroll.${schoolId}`, EMPTY);
  const { busy, problem, run } = useSubmit();
  const set = (field: keyof typeof EMPTY) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const label = (field: string) => intl.formatMessage({ id: `admin.student.${field}` });
  const labels = {
    studentId: label('studentId'),
    name: label('name'),
    birthDate: label('birthDate'),
    group: label('group'),
    educationForm: label('educationForm'),
    inCompulsoryEducation: label('inCompulsoryEducation'),
    schoolId: intl.formatMessage({ id: 'admin.school.schoolId' }),
  };
  const submit = () =>
    void run(async () => {
      const body = { ...draft, schoolId, inCompulsoryEducation: draft.inCompulsoryEducation === 'yes' };
      await explained(api('roster', 'v1/students', { method: 'POST', body }), WORDING, intl);
      clearDraft();
      navigate(studentPath(schoolId, draft.studentId));
    });
  const yesNo = [
    { value: 'yes', label: intl.formatMessage({ id: 'common.yes' }) },
    { value: 'no', label: intl.formatMessage({ id: 'common.no' }) },
  ];
  return (
    <>
      <p>
        <Link to={schoolPath(schoolId)}>
          <FormattedMessage id="admin.enroll.back" />
        </Link>
      </p>
      <PageTitle>
        <FormattedMessage id="admin.enroll.title" values={{ schoolId }} />
      </PageTitle>
      <Form onSubmit={submit} problem={problem} busy={busy} fields={labels} submitLabel={<FormattedMessage id="admin.enroll.submit" />}>
        <TextField name="studentId" label={labels.studentId} hint={<FormattedMessage id="admin.field.id.hint" />} required maxLength={200} value={draft.studentId} onChange={set('studentId')} error={problem?.fieldMessage('studentId')} />
        <TextField name="name" label={labels.name} required maxLength={200} value={draft.name} onChange={set('name')} error={problem?.fieldMessage('name')} />
        <TextField name="birthDate" type="date" label={labels.birthDate} hint={<FormattedMessage id="admin.enroll.birthDate.hint" />} required value={draft.birthDate} onChange={set('birthDate')} error={problem?.fieldMessage('birthDate')} />
        <TextField name="group" label={labels.group} hint={<FormattedMessage id="admin.enroll.group.hint" />} required maxLength={200} value={draft.group} onChange={set('group')} error={problem?.fieldMessage('group')} />
        <SelectField
          name="educationForm"
          label={labels.educationForm}
          required
          value={draft.educationForm}
          onChange={set('educationForm')}
          options={EDUCATION_FORMS.map((form) => ({ value: form, label: intl.formatMessage({ id: `admin.educationForm.${form}` }) }))}
          error={problem?.fieldMessage('educationForm')}
        />
        <ChoiceGroup
          name="inCompulsoryEducation"
          label={labels.inCompulsoryEducation}
          hint={<FormattedMessage id="admin.enroll.compulsory.hint" />}
          required
          value={draft.inCompulsoryEducation}
          onChange={set('inCompulsoryEducation')}
          options={yesNo}
          error={problem?.fieldMessage('inCompulsoryEducation')}
        />
        {problem?.fieldMessage('schoolId') && (
          <p className="field-error" id="field-schoolId">
            {problem.fieldMessage('schoolId')}
          </p>
        )}
      </Form>
    </>
  );
}
