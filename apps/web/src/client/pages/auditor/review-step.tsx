import { useEffect, useRef, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiProblem } from '../../api';
import { ChoiceGroup, Form, ProblemText, Sending, TextArea, useSubmit } from '../../components/form';
import { useDraft } from '../../session';
import type { Decision, ReviewAnswer, ReviewOutcome } from './api-shapes';

interface ReviewDraft {
  readonly outcome: '' | ReviewOutcome;
  readonly note: string;
}

const EMPTY: ReviewDraft = { outcome: '', note: '' };
const NOTE_MAX = 4000;

/**
 * Reviewing one emergency access in two steps on the page: the form (outcome, note), then a
 * confirmation that says what will be recorded, because a review is recorded once per
 * organisation and never changed. Only the confirmation sends it
 * (POST /v1/audit/emergency-reviews/{disclosureId}); a refusal goes back to the form with the
 * API's field errors next to the fields.
 */
export function ReviewStep({
  decision,
  name,
  onCancel,
  onRecorded,
  onOutdated,
}: {
  decision: Decision;
  name: string;
  onCancel: () => void;
  onRecorded: (answer: ReviewAnswer) => void;
  /** The queue the page shows is out of date: someone at the organisation reviewed it first (409), or it is gone (404). */
  onOutdated: (problem: ApiProblem) => void;
}) {
  const intl = useIntl();
  const [draft, setDraft, clearDraft] = useDraft<ReviewDraft>(`auditor.review.${decision.disclosureId}`, EMPTY);
  const [confirming, setConfirming] = useState(false);
  const { busy, problem, run, setProblem } = useSubmit();
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const formHeading = useRef<HTMLHeadingElement>(null);
  const base = `auditor-review-${decision.disclosureId}`;

  useEffect(() => {
    (confirming ? confirmHeading : formHeading).current?.focus();
  }, [confirming]);

  const labels = { outcome: intl.formatMessage({ id: 'auditor.review.outcome' }), note: intl.formatMessage({ id: 'auditor.review.note' }) };

  const toConfirmation = () => {
    // The outcome has no default: an auditor chooses it. Said here, before the confirmation, in the
    // same place the API's own field errors appear.
    if (draft.outcome === '') {
      setProblem(new ApiProblem(400, 'outcome_required', '', [{ field: 'outcome', message: intl.formatMessage({ id: 'common.form.required' }) }]));
      return;
    }
    setProblem(undefined);
    setConfirming(true);
  };

  const record = () =>
    run(async () => {
      const note = draft.note.trim();
      const answer = await api<ReviewAnswer>('disclosure', `v1/audit/emergency-reviews/${encodeURIComponent(decision.disclosureId)}`, {
        method: 'POST',
        body: { outcome: draft.outcome, ...(note ? { note } : {}) },
      });
      clearDraft();
      onRecorded(answer);
    }).then((recorded) => {
      if (!recorded) setConfirming(false);
    });

  useEffect(() => {
    if (problem?.status === 409 || problem?.status === 404) {
      clearDraft();
      onOutdated(problem);
    }
  }, [problem]);

  if (confirming) {
    return (
      <section className="auditor-confirm panel" aria-labelledby={`${base}-confirm`}>
        <h4 id={`${base}-confirm`} tabIndex={-1} ref={confirmHeading}>
          <FormattedMessage id="auditor.review.confirmTitle" />
        </h4>
        <p>
          <FormattedMessage id="auditor.review.confirmText" values={{ name, outcome: draft.outcome }} />
        </p>
        {draft.note.trim() && (
          <p className="auditor-quote">
            <FormattedMessage id="auditor.review.confirmNote" values={{ note: draft.note.trim() }} />
          </p>
        )}
        <p>
          <FormattedMessage id="auditor.review.confirmOnce" />
        </p>
        <div className="actions">
          <button type="button" className="primary" disabled={busy} aria-disabled={busy} onClick={() => void record()}>
            <FormattedMessage id="auditor.review.record" />
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => setConfirming(false)}>
            <FormattedMessage id="auditor.review.back" />
          </button>
          <Sending busy={busy} />
        </div>
      </section>
    );
  }

  return (
    <section className="auditor-review panel" aria-labelledby={`${base}-form`}>
      <h4 id={`${base}-form`} tabIndex={-1} ref={formHeading}>
        <FormattedMessage id="auditor.review.formTitle" values={{ name }} />
      </h4>
      {problem && problem.status !== 400 && !problem.sessionExpired && (
        <div className="notice notice-error" role="alert">
          <ProblemText problem={problem} />
        </div>
      )}
      <Form onSubmit={toConfirmation} problem={problem?.status === 400 ? problem : undefined} submitLabel={<FormattedMessage id="auditor.review.continue" />} fields={labels}>
        <ChoiceGroup
          name="outcome"
          label={labels.outcome}
          required
          value={draft.outcome}
          onChange={(value) => setDraft((previous) => ({ ...previous, outcome: value as ReviewOutcome }))}
          error={problem?.fieldMessage('outcome')}
          options={[
            { value: 'justified', label: <FormattedMessage id="auditor.review.justified" />, hint: <FormattedMessage id="auditor.review.justifiedHint" /> },
            { value: 'unjustified', label: <FormattedMessage id="auditor.review.unjustified" />, hint: <FormattedMessage id="auditor.review.unjustifiedHint" /> },
          ]}
        />
        <TextArea
          name="note"
          label={labels.note}
          hint={<FormattedMessage id="auditor.review.noteHint" values={{ max: NOTE_MAX }} />}
          value={draft.note}
          maxLength={NOTE_MAX}
          onChange={(note) => setDraft((previous) => ({ ...previous, note }))}
          error={problem?.fieldMessage('note')}
        />
      </Form>
      <div className="actions">
        <button type="button" className="secondary" onClick={onCancel}>
          <FormattedMessage id="common.cancel" />
        </button>
      </div>
    </section>
  );
}
