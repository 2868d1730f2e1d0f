import { useEffect, useRef } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../api';
import { Sending, useSubmit } from '../../components/form';
import { ProblemNotice } from '../../components/status';
import { segment } from '../../router';
import type { ConsentSummary, MyStudent } from './api-shapes';
import { useNames } from './names';
import { explainProblem } from './problems';

export type Change = 'pause' | 'resume' | 'withdraw';

/**
 * The in-page confirmation of a change to a consent: what changes at once, in plain language
 * (a pause can be resumed, a withdrawal is final), and two buttons. Its heading takes the focus
 * when it opens, so a screen reader reads the question first.
 */
export function ConfirmChange({ change, consent, student, onDone, onCancel }: { change: Change; consent: ConsentSummary; student: MyStudent; onDone: (change: Change) => void; onCancel: () => void }) {
  const intl = useIntl();
  const names = useNames();
  const { busy, problem, run } = useSubmit();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const headingId = `confirm-${change}-${consent.consentId}`;
  const confirm = () =>
    void run(async () => {
      await api('consent', `v1/consents/${segment(consent.consentId)}/${change}`, { method: 'POST', body: {} });
      onDone(change);
    });
  const values = {
    professions: names.professions(consent.recipient.roles),
    area: names.welfareArea(consent.recipient.welfareAreaId),
    categories: names.categories(consent.categories),
    student: names.student(student.studentId, student.name),
  };
  return (
    <section className={`confirm confirm-${change}`} aria-labelledby={headingId}>
      <h4 id={headingId} tabIndex={-1} ref={heading}>
        <FormattedMessage id={`citizen.change.${change}.question`} />
      </h4>
      <p>
        <FormattedMessage id={`citizen.change.${change}.effect`} values={values} />
      </p>
      <p>
        <strong>
          <FormattedMessage id={`citizen.change.${change}.after`} />
        </strong>
      </p>
      {problem && <ProblemNotice problem={explainProblem(intl, problem)!} />}
      <div className="actions">
        <button type="button" className={change === 'withdraw' ? 'danger primary' : 'primary'} disabled={busy} aria-disabled={busy} onClick={confirm}>
          <FormattedMessage id={`citizen.change.${change}.confirm`} />
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          <FormattedMessage id="common.cancel" />
        </button>
        <Sending busy={busy} />
      </div>
    </section>
  );
}
