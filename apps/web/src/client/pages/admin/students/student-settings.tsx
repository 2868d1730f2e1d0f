// The school's own settings for a student: capacity (who decides on consent), welfare access,
// and a move to another school of the municipality.
import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../../api';
import { ChoiceGroup, Form, SelectField, useSubmit } from '../../../components/form';
import { useLoad } from '../../../components/status';
import { navigate, segment } from '../../../router';
import type { SchoolStudent } from '../shared/api-shapes';
import { explained } from '../shared/explain-problem';
import { allSchools } from '../shared/lookups';
import { studentPath } from '../schools/student-table';

interface SettingProps {
  readonly student: SchoolStudent;
  /** Called with the sentence the page announces once the change is saved. */
  readonly onChanged: (announcement: string) => void;
}

function useYesNo() {
  const intl = useIntl();
  return [
    { value: 'yes', label: intl.formatMessage({ id: 'common.yes' }) },
    { value: 'no', label: intl.formatMessage({ id: 'common.no' }) },
  ];
}

export function CapacityForm({ student, onChanged }: SettingProps) {
  const intl = useIntl();
  const yesNo = useYesNo();
  const [value, setValue] = useState(student.decidesForSelf ? 'yes' : 'no');
  const { busy, problem, run } = useSubmit();
  const label = intl.formatMessage({ id: 'admin.capacity.question' });
  const submit = () =>
    void run(async () => {
      const answer = await api<{ decidesForSelf: boolean }>('roster', `v1/students/${segment(student.studentId)}/capacity`, { method: 'PUT', body: { decidesForSelf: value === 'yes' } });
      onChanged(intl.formatMessage({ id: 'admin.capacity.saved' }, { decidesForSelf: String(answer.decidesForSelf) }));
    });
  return (
    <section className="panel" aria-labelledby="student-capacity">
      <h2 id="student-capacity">
        <FormattedMessage id="admin.capacity.title" />
      </h2>
      <Form onSubmit={submit} problem={problem} busy={busy} fields={{ decidesForSelf: label }} submitLabel={<FormattedMessage id="admin.save" />}>
        <ChoiceGroup name="decidesForSelf" label={label} hint={<FormattedMessage id="admin.capacity.hint" />} required value={value} onChange={setValue} options={yesNo} error={problem?.fieldMessage('decidesForSelf')} />
      </Form>
    </section>
  );
}

export function WelfareAccessForm({ student, onChanged }: SettingProps) {
  const intl = useIntl();
  const [value, setValue] = useState(student.welfareAccess ? 'yes' : 'no');
  const { busy, problem, run } = useSubmit();
  const label = intl.formatMessage({ id: 'admin.welfareAccess.question' });
  const options = [
    { value: 'yes', label: intl.formatMessage({ id: 'admin.student.welfareAccess.on' }) },
    { value: 'no', label: intl.formatMessage({ id: 'admin.student.welfareAccess.off' }) },
  ];
  const submit = () =>
    void run(async () => {
      const answer = await api<{ active: boolean }>('roster', `v1/students/${segment(student.studentId)}/welfare-access`, { method: 'PUT', body: { active: value === 'yes' } });
      onChanged(intl.formatMessage({ id: 'admin.welfareAccess.saved' }, { active: String(answer.active) }));
    });
  return (
    <section className="panel" aria-labelledby="student-welfare-access">
      <h2 id="student-welfare-access">
        <FormattedMessage id="admin.welfareAccess.title" />
      </h2>
      <Form onSubmit={submit} problem={problem} busy={busy} fields={{ active: label }} submitLabel={<FormattedMessage id="admin.save" />}>
        <ChoiceGroup name="active" label={label} hint={<FormattedMessage id="admin.welfareAccess.hint" />} required value={value} onChange={setValue} options={options} error={problem?.fieldMessage('active')} />
      </Form>
    </section>
  );
}

const TRANSFER_WORDING = {
  fields: { schoolId: 'admin.field.id.invalid' },
  codes: { already_at_school: ['schoolId', 'admin.transfer.sameSchool'], school_not_found: ['schoolId', 'admin.enroll.schoolId.notFound'] },
} as const;

/** Moves the student to another of the municipality's schools; the student's page follows them. */
export function TransferForm({ student, schoolId }: { student: SchoolStudent; schoolId: string }) {
  const intl = useIntl();
  const schools = useLoad((signal) => allSchools(signal), []);
  const [target, setTarget] = useState('');
  const { busy, problem, run } = useSubmit();
  const label = intl.formatMessage({ id: 'admin.transfer.schoolId' });
  const others = (schools.data ?? []).filter((s) => s.schoolId !== schoolId);
  const submit = () =>
    void run(async () => {
      const answer = await explained(
        api<{ schoolId: string }>('roster', `v1/students/${segment(student.studentId)}/transfer`, { method: 'POST', body: { schoolId: target } }),
        TRANSFER_WORDING,
        intl,
      );
      navigate(studentPath(answer.schoolId, student.studentId));
    });
  return (
    <section className="panel" aria-labelledby="student-transfer">
      <h2 id="student-transfer">
        <FormattedMessage id="admin.transfer.title" />
      </h2>
      {schools.data && others.length === 0 ? (
        <p>
          <FormattedMessage id="admin.transfer.noOtherSchools" />
        </p>
      ) : (
        <Form onSubmit={submit} problem={problem} busy={busy} fields={{ schoolId: label }} submitLabel={<FormattedMessage id="admin.transfer.submit" />}>
          <SelectField
            name="schoolId"
            label={label}
            required
            value={target}
            onChange={setTarget}
            placeholder={intl.formatMessage({ id: 'admin.transfer.choose' })}
            options={others.map((s) => ({ value: s.schoolId, label: `${s.name} (${s.schoolId})` }))}
            error={problem?.fieldMessage('schoolId')}
          />
        </Form>
      )}
    </section>
  );
}
