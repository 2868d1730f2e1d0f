import { useRef, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../../api';
import { Form, ProblemText, TextField, fieldId, useSubmit } from '../../../components/form';
import { segment } from '../../../router';
import { useDraft } from '../../../session';
import type { SchoolStudent } from '../shared/api-shapes';
import { ConfirmStep } from '../shared/confirm-step';
import { explained } from '../shared/explain-problem';

type Guardian = SchoolStudent['guardians'][number];

interface Props {
  readonly student: SchoolStudent;
  readonly onChanged: (announcement: string) => void;
}

/** The student's guardians: who is linked, unlinking one (after an in-page confirmation), linking one. */
export function GuardiansSection({ student, onChanged }: Props) {
  const [unlinking, setUnlinking] = useState<Guardian>();
  const opener = useRef<HTMLButtonElement | null>(null);
  const cancel = () => {
    setUnlinking(undefined);
    opener.current?.focus();
  };
  return (
    <section className="panel" aria-labelledby="student-guardians">
      <h2 id="student-guardians">
        <FormattedMessage id="admin.guardians.title" />
      </h2>
      {student.guardians.length === 0 ? (
        <p>
          <FormattedMessage id="admin.student.noGuardians" />
        </p>
      ) : (
        <table>
          <caption>
            <FormattedMessage id="admin.guardians.caption" values={{ name: student.name }} />
          </caption>
          <thead>
            <tr>
              <th scope="col">
                <FormattedMessage id="admin.guardian.name" />
              </th>
              <th scope="col">
                <FormattedMessage id="admin.guardian.guardianId" />
              </th>
              <th scope="col">
                <FormattedMessage id="admin.actions" />
              </th>
            </tr>
          </thead>
          <tbody>
            {student.guardians.map((guardian) => (
              <tr key={guardian.guardianId}>
                <th scope="row">{guardian.name}</th>
                <td>{guardian.guardianId}</td>
                <td>
                  <button
                    type="button"
                    className="danger"
                    onClick={(event) => {
                      opener.current = event.currentTarget;
                      setUnlinking(guardian);
                    }}
                  >
                    <FormattedMessage id="admin.guardians.unlink" />
                    <span className="visually-hidden"> {guardian.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {unlinking && (
        <UnlinkStep
          student={student}
          guardian={unlinking}
          onCancel={cancel}
          onDone={(message) => {
            setUnlinking(undefined);
            onChanged(message);
          }}
        />
      )}
      <LinkGuardianForm student={student} onChanged={onChanged} />
    </section>
  );
}

function UnlinkStep({ student, guardian, onCancel, onDone }: { student: SchoolStudent; guardian: Guardian; onCancel: () => void; onDone: (message: string) => void }) {
  const intl = useIntl();
  const { busy, problem, run } = useSubmit();
  const confirm = () =>
    void run(async () => {
      await api('roster', `v1/students/${segment(student.studentId)}/guardians/${segment(guardian.guardianId)}`, { method: 'DELETE' });
      onDone(intl.formatMessage({ id: 'admin.guardians.unlinked' }, { guardian: guardian.name, student: student.name }));
    });
  return (
    <ConfirmStep
      level={3}
      title={<FormattedMessage id="admin.guardians.confirm.title" values={{ guardian: guardian.name }} />}
      confirmLabel={<FormattedMessage id="admin.guardians.confirm.yes" />}
      busy={busy}
      onConfirm={confirm}
      onCancel={onCancel}
    >
      <p>
        <FormattedMessage id="admin.guardians.confirm.body" values={{ guardian: guardian.name, student: student.name }} />
      </p>
      {problem && !problem.sessionExpired && (
        <div className="notice notice-error" role="alert">
          <ProblemText problem={problem} />
        </div>
      )}
    </ConfirmStep>
  );
}

const LINK_WORDING = {
  fields: {
    guardianId: 'admin.field.id.invalid',
    name: 'admin.field.text.invalid',
    'contact.email': 'admin.guardian.email.invalid',
    'contact.phone': 'admin.guardian.phone.invalid',
    contact: 'admin.guardian.contact.missing',
  },
  codes: {
    guardian_already_linked: ['guardianId', 'admin.guardian.guardianId.linked'],
    id_reused: ['guardianId', 'admin.guardian.guardianId.linked'],
  },
} as const;

const EMPTY = { guardianId: '', name: '', email: '', phone: '' };

function LinkGuardianForm({ student, onChanged }: Props) {
  const intl = useIntl();
  const [draft, setDraft, clearDraft] = useDraft(`admin.link-guardian.${student.studentId}`, EMPTY);
  const { busy, problem, run } = useSubmit();
  const set = (field: keyof typeof EMPTY) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const label = (field: string) => intl.formatMessage({ id: `admin.guardian.${field}` });
  // The contact as a whole is refused when neither email nor phone is given; that error sits on the group.
  const contactError = problem?.errors.find((e) => e.field === 'contact')?.message;
  const labels: Record<string, string> = { guardianId: label('guardianId'), name: label('name'), 'contact.email': label('email'), 'contact.phone': label('phone') };
  if (contactError) labels.contact = label('contact');
  const submit = () =>
    void run(async () => {
      const contact = { ...(draft.email && { email: draft.email }), ...(draft.phone && { phone: draft.phone }) };
      const body = { guardianId: draft.guardianId, name: draft.name, contact };
      await explained(api('roster', `v1/students/${segment(student.studentId)}/guardians`, { method: 'POST', body }), LINK_WORDING, intl);
      clearDraft();
      onChanged(intl.formatMessage({ id: 'admin.guardians.linked' }, { guardian: body.name, student: student.name }));
    });
  return (
    <>
      <h3 id="link-guardian">
        <FormattedMessage id="admin.guardians.link.title" />
      </h3>
      <Form onSubmit={submit} problem={problem} busy={busy} fields={labels} submitLabel={<FormattedMessage id="admin.guardians.link.submit" />}>
        <TextField name="guardianId" label={labels.guardianId} hint={<FormattedMessage id="admin.guardian.guardianId.hint" />} required maxLength={200} value={draft.guardianId} onChange={set('guardianId')} error={problem?.fieldMessage('guardianId')} />
        <TextField name="name" label={labels.name} required maxLength={200} value={draft.name} onChange={set('name')} error={problem?.fieldMessage('name')} />
        <fieldset id={fieldId('contact')} className={`field${contactError ? ' has-error' : ''}`} tabIndex={-1} aria-describedby={`${fieldId('contact')}-hint${contactError ? ` ${fieldId('contact')}-error` : ''}`}>
          <legend>
            <FormattedMessage id="admin.guardian.contact" />
          </legend>
          <p className="hint" id={`${fieldId('contact')}-hint`}>
            <FormattedMessage id="admin.guardian.contact.hint" />
          </p>
          {contactError && (
            <p className="field-error" id={`${fieldId('contact')}-error`}>
              {contactError}
            </p>
          )}
          <TextField name="contact.email" type="email" autoComplete="off" label={labels['contact.email']} value={draft.email} onChange={set('email')} error={problem?.fieldMessage('contact.email')} />
          <TextField name="contact.phone" label={labels['contact.phone']} value={draft.phone} onChange={set('phone')} error={problem?.fieldMessage('contact.phone')} />
        </fieldset>
      </Form>
    </>
  );
}
