import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../api';
import { ChoiceGroup, Form, useSubmit } from '../../components/form';
import { LoadedView, Notice, useLoad } from '../../components/status';
import { segment } from '../../router';
import { useDraft } from '../../session';
import { WELFARE_ROLES, type GuardianVisibility, type WelfareRole } from './api-shapes';
import { useNames } from './names';
import { explainProblem } from './problems';
import { StudentFrame } from './student-frame';

/**
 * The student's choice of which professions' disclosures their guardians may not see in their log
 * (consent's PUT /v1/students/{id}/guardian-visibility, which only the student themself, or a
 * professional on their behalf, may call; guardians never see this page).
 */
export function VisibilityPage({ studentId }: { studentId: string }) {
  return (
    <StudentFrame studentId={studentId} title="citizen.visibility.title">
      {() => <Visibility studentId={studentId} />}
    </StudentFrame>
  );
}

function Visibility({ studentId }: { studentId: string }) {
  const path = `v1/students/${segment(studentId)}/guardian-visibility`;
  const current = useLoad((signal) => api<GuardianVisibility>('consent', path, { signal }), [path]);
  return <LoadedView loaded={current}>{(visibility) => <VisibilityForm path={path} visibility={visibility} onSaved={current.reload} />}</LoadedView>;
}

function VisibilityForm({ path, visibility, onSaved }: { path: string; visibility: GuardianVisibility; onSaved: () => void }) {
  const intl = useIntl();
  const names = useNames();
  const [draft, setDraft, clearDraft] = useDraft<{ hiddenRoles: readonly WelfareRole[] }>(`citizen.visibility.${visibility.studentId}`, { hiddenRoles: visibility.hiddenRoles });
  const { busy, problem, run } = useSubmit();
  const [saved, setSaved] = useState(false);
  const shown = explainProblem(intl, problem);
  const label = intl.formatMessage({ id: 'citizen.visibility.roles' });
  const submit = () =>
    void run(async () => {
      setSaved(false);
      await api('consent', path, { method: 'PUT', body: { hiddenRoles: draft.hiddenRoles } });
      clearDraft();
      setSaved(true);
      onSaved();
    });
  const { assessment } = visibility;
  return (
    <>
      <p>
        <FormattedMessage id="citizen.visibility.intro" />
      </p>
      <p>
        <FormattedMessage
          id="citizen.visibility.now"
          values={{ count: visibility.hiddenRoles.length, roles: names.professions(visibility.hiddenRoles.length > 0 ? visibility.hiddenRoles : undefined) }}
        />
      </p>
      {assessment?.outcome === 'overridden' && (
        <Notice kind="warning">
          <p>
            <FormattedMessage
              id="citizen.visibility.overridden"
              values={{ assessor: intl.formatMessage({ id: `common.role.${assessment.assessedBy.role}` }), roles: names.professions(assessment.roles), why: assessment.why }}
            />
          </p>
        </Notice>
      )}
      <div aria-live="polite" role="status">
        {saved && (
          <div className="notice notice-success">
            <p>
              <FormattedMessage id="citizen.visibility.saved" />
            </p>
          </div>
        )}
      </div>
      <Form onSubmit={submit} problem={shown} busy={busy} submitLabel={<FormattedMessage id="citizen.visibility.submit" />} fields={{ hiddenRoles: label }}>
        <ChoiceGroup
          name="hiddenRoles"
          label={label}
          hint={<FormattedMessage id="citizen.visibility.rolesHint" />}
          multiple
          values={draft.hiddenRoles}
          onChange={(values) => setDraft({ hiddenRoles: values as WelfareRole[] })}
          error={shown?.fieldMessage('hiddenRoles')}
          options={WELFARE_ROLES.map((role) => ({
            value: role,
            label: intl.formatMessage({ id: `citizen.visibility.role.${role}` }),
          }))}
        />
      </Form>
    </>
  );
}
