import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../api';
import { ChoiceGroup, Form, TextArea, TextField, useSubmit } from '../../components/form';
import { Notice } from '../../components/status';
import { navigate, segment } from '../../router';
import { useDraft, useUser } from '../../session';
import { CATEGORIES, MAX_PURPOSE_LENGTH, WELFARE_ROLES, type Category, type GrantConsentAnswer, type MyStudent, type WelfareRole } from './api-shapes';
import { ConsentScope } from './consent-scope';
import { EMPTY_GRANT, grantBody, missingFields, today, type GrantDraft } from './grant-draft';
import { useNames } from './names';
import { explainProblem } from './problems';
import { mayConsent, mayConsentAtAll } from './standing';
import { StudentFrame } from './student-frame';

/** Giving a consent: what (categories), to whom (welfare area, professions), why (purpose) and for how long. */
export function GrantConsentPage({ studentId }: { studentId: string }) {
  const user = useUser();
  return (
    <StudentFrame studentId={studentId} title={user.role === 'student' ? 'citizen.grant.titleOwn' : 'citizen.grant.title'}>
      {(student) => (mayConsentAtAll(user, student) ? <GrantForm student={student} /> : <MayNotGrant student={student} />)}
    </StudentFrame>
  );
}

function MayNotGrant({ student }: { student: MyStudent }) {
  const user = useUser();
  const names = useNames();
  return (
    <Notice kind="warning">
      <p>
        <FormattedMessage id={user.role === 'guardian' ? 'citizen.grant.notNow.guardian' : 'citizen.grant.notNow.student'} values={{ student: names.student(student.studentId, student.name) }} />
      </p>
    </Notice>
  );
}

function GrantForm({ student }: { student: MyStudent }) {
  const intl = useIntl();
  const user = useUser();
  const names = useNames();
  const [draft, setDraft, clearDraft] = useDraft<GrantDraft>(`citizen.grant.${student.studentId}`, { ...EMPTY_GRANT, welfareAreaId: student.welfareAreaId ?? '' });
  const { busy, problem, run, setProblem } = useSubmit();
  const shown = explainProblem(intl, problem);
  const set = <K extends keyof GrantDraft>(key: K) => (value: GrantDraft[K]) => setDraft((previous) => ({ ...previous, [key]: value }));
  const label = (id: string) => intl.formatMessage({ id });
  // The professions the user may consent for (capacity is judged per field; the API refuses the rest).
  const allowedRoles = WELFARE_ROLES.filter((role) => mayConsent(user, student, [role]));

  const submit = () => {
    const missing = missingFields(intl, draft);
    if (missing) return setProblem(missing);
    void run(async () => {
      const answer = await api<GrantConsentAnswer>('consent', 'v1/consents', { method: 'POST', body: grantBody(student.studentId, draft) });
      clearDraft();
      navigate(`/citizen/students/${segment(student.studentId)}?granted=${segment(answer.consentId)}`);
    });
  };

  const fields = {
    categories: label('citizen.grant.categories'),
    'recipient.welfareAreaId': label('citizen.grant.welfareArea'),
    'recipient.roles': label('citizen.grant.roles'),
    purpose: label('citizen.grant.purpose'),
    validFrom: label('citizen.grant.validFrom'),
    validUntil: label('citizen.grant.validUntil'),
  };

  return (
    <>
      <p>
        <FormattedMessage id="citizen.grant.intro" values={{ student: names.student(student.studentId, student.name) }} />
      </p>
      <Form onSubmit={submit} problem={shown} busy={busy} submitLabel={<FormattedMessage id="citizen.grant.submit" />} fields={fields} className="grant-form">
        <ChoiceGroup
          name="categories"
          label={fields.categories}
          hint={<FormattedMessage id="citizen.grant.categoriesHint" />}
          required
          multiple
          values={draft.categories}
          onChange={(values) => set('categories')(values as Category[])}
          error={shown?.fieldMessage('categories')}
          options={CATEGORIES.map((category) => ({
            value: category,
            label: capitalise(intl.formatMessage({ id: `common.category.${category}` })),
            hint: <FormattedMessage id={`citizen.category.${category}`} />,
          }))}
        />
        <TextField
          name="recipient.welfareAreaId"
          label={fields['recipient.welfareAreaId']}
          hint={<FormattedMessage id={student.welfareAreaId ? 'citizen.grant.welfareAreaServing' : 'citizen.grant.welfareAreaHint'} values={{ area: student.welfareAreaId ?? '' }} />}
          required
          value={draft.welfareAreaId}
          onChange={set('welfareAreaId')}
          maxLength={200}
          error={shown?.fieldMessage('recipient.welfareAreaId')}
        />
        <ChoiceGroup
          name="recipient.roles"
          label={fields['recipient.roles']}
          hint={
            <FormattedMessage
              id={allowedRoles.length < WELFARE_ROLES.length ? 'citizen.grant.rolesHintLimited' : 'citizen.grant.rolesHint'}
              values={{ allowed: intl.formatList(allowedRoles.map((role) => intl.formatMessage({ id: `citizen.professions.${role}` })), { type: 'conjunction' }) }}
            />
          }
          multiple
          values={draft.roles}
          onChange={(values) => set('roles')(values as WelfareRole[])}
          error={shown?.fieldMessage('recipient.roles')}
          options={WELFARE_ROLES.map((role) => ({
            value: role,
            label: capitalise(intl.formatMessage({ id: `common.role.${role}` })),
            hint: <FormattedMessage id={`citizen.role.${role}`} />,
          }))}
        />
        <TextArea
          name="purpose"
          label={fields.purpose}
          hint={<FormattedMessage id="citizen.grant.purposeHint" values={{ max: MAX_PURPOSE_LENGTH }} />}
          required
          rows={3}
          maxLength={MAX_PURPOSE_LENGTH}
          value={draft.purpose}
          onChange={set('purpose')}
          error={shown?.fieldMessage('purpose')}
        />
        <fieldset className="period">
          <legend>
            <FormattedMessage id="citizen.grant.period" />
          </legend>
          <TextField
            name="validFrom"
            type="date"
            label={fields.validFrom}
            hint={<FormattedMessage id="citizen.grant.validFromHint" />}
            value={draft.validFrom}
            onChange={set('validFrom')}
            error={shown?.fieldMessage('validFrom')}
          />
          <TextField
            name="validUntil"
            type="date"
            label={fields.validUntil}
            hint={<FormattedMessage id="citizen.grant.validUntilHint" />}
            value={draft.validUntil}
            onChange={set('validUntil')}
            error={shown?.fieldMessage('validUntil')}
          />
        </fieldset>
        <Preview draft={draft} />
      </Form>
    </>
  );
}

/** The consent as it would read once given, so the user sees what they agree to before sending. */
function Preview({ draft }: { draft: GrantDraft }) {
  const intl = useIntl();
  if (draft.categories.length === 0 || draft.welfareAreaId.trim() === '') return null;
  const from = draft.validFrom && draft.validFrom > today() ? new Date(`${draft.validFrom}T00:00:00`) : new Date();
  const until = draft.validUntil ? new Date(`${draft.validUntil}T23:59:59`) : undefined;
  if (Number.isNaN(from.getTime()) || (until && Number.isNaN(until.getTime()))) return null;
  return (
    <section className="preview panel" aria-labelledby="grant-preview">
      <h2 id="grant-preview">
        <FormattedMessage id="citizen.grant.preview" />
      </h2>
      <ConsentScope
        consent={{
          categories: draft.categories,
          recipient: { welfareAreaId: draft.welfareAreaId.trim(), ...(draft.roles.length > 0 && { roles: draft.roles }) },
          purpose: draft.purpose.trim() || intl.formatMessage({ id: 'citizen.grant.previewNoPurpose' }),
          validFrom: from.toISOString(),
          ...(until && { validUntil: until.toISOString() }),
        }}
      />
    </section>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}
