import { useLayoutEffect, useRef, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useUser } from '../../session';
import type { ConsentStatus, ConsentSummary, MyStudent } from './api-shapes';
import { ConfirmChange, type Change } from './consent-change';
import { ConsentScope } from './consent-scope';
import { useNames } from './names';
import { fieldsOf, mayChange, mayConsent } from './standing';

const STATUS_TAG: Readonly<Record<ConsentStatus, string>> = { active: 'tag-permit', paused: 'tag-partial', withdrawn: 'tag-deny', expired: 'tag-deny' };

/** The changes a consent in this status allows: a withdrawn or expired one allows none. */
function changesFor(status: ConsentStatus, mayResume: boolean): Change[] {
  if (status === 'active') return ['pause', 'withdraw'];
  if (status === 'paused') return mayResume ? ['resume', 'withdraw'] : ['withdraw'];
  return [];
}

/** One consent: its state in words (not by colour alone), its scope, who gave it, and what the user may change. */
export function ConsentCard({ consent, student, onChanged }: { consent: ConsentSummary; student: MyStudent; onChanged: (change: Change) => void }) {
  const intl = useIntl();
  const user = useUser();
  const names = useNames();
  const [confirming, setConfirming] = useState<Change | undefined>();
  const [returnFocus, setReturnFocus] = useState<Change | undefined>();
  const buttons = useRef<Partial<Record<Change, HTMLButtonElement | null>>>({});
  const changes = mayChange(user, consent) ? changesFor(consent.status, mayConsent(user, student, consent.recipient.roles)) : [];
  const headingId = `consent-${consent.consentId}`;
  const day = (instant: string) => intl.formatDate(instant, { dateStyle: 'long' });
  // A cancelled question gives the focus back to the button that opened it, in the same commit
  // that shows the button again.
  useLayoutEffect(() => {
    if (confirming || !returnFocus) return;
    buttons.current[returnFocus]?.focus();
    setReturnFocus(undefined);
  }, [confirming, returnFocus]);
  const cancel = () => {
    setReturnFocus(confirming);
    setConfirming(undefined);
  };
  const grantor = consent.grantedBy.kind === user.role && consent.grantedBy.id === user.subject ? 'you' : consent.grantedBy.kind;
  return (
    <article className="consent panel" aria-labelledby={headingId}>
      <h3 id={headingId}>
        <FormattedMessage id="citizen.consent.heading" values={{ categories: names.categories(consent.categories), area: names.welfareArea(consent.recipient.welfareAreaId) }} />
      </h3>
      <p>
        <span className={`tag ${STATUS_TAG[consent.status]}`}>
          <FormattedMessage id={`citizen.consent.status.${consent.status}`} />
        </span>{' '}
        <FormattedMessage
          id={`citizen.consent.statusText.${consent.status}`}
          values={{ changedAt: day(consent.changedAt), until: consent.validUntil ? day(consent.validUntil) : '' }}
        />
      </p>
      <ConsentScope consent={consent} />
      <NoLongerCounts consent={consent} student={student} />
      <p className="hint">
        <FormattedMessage id="citizen.consent.grantedBy" values={{ grantor, id: consent.grantedBy.id, at: day(consent.grantedAt), version: consent.version }} />
      </p>
      {confirming ? (
        <ConfirmChange
          change={confirming}
          consent={consent}
          student={student}
          onCancel={cancel}
          onDone={(change) => {
            setConfirming(undefined);
            onChanged(change);
          }}
        />
      ) : (
        changes.length > 0 && (
          <div className="actions">
            {changes.map((change) => (
              <button
                key={change}
                type="button"
                className={change === 'withdraw' ? 'danger' : 'secondary'}
                ref={(element) => {
                  buttons.current[change] = element;
                }}
                onClick={() => setConfirming(change)}
              >
                <FormattedMessage id={`citizen.consent.action.${change}`} />
                <span className="visually-hidden">
                  {': '}
                  {names.categories(consent.categories)}
                </span>
              </button>
            ))}
          </div>
        )
      )}
    </article>
  );
}

/**
 * A guardian's consent stops counting where the student decides for themselves (or at 18): the
 * consent API keeps it, but disclosure no longer relies on it there. Said in words on the consent.
 */
function NoLongerCounts({ consent, student }: { consent: ConsentSummary; student: MyStudent }) {
  const intl = useIntl();
  const names = useNames();
  if (consent.grantedBy.kind !== 'guardian' || consent.status === 'withdrawn' || consent.status === 'expired') return null;
  const overridden = fieldsOf(consent.recipient.roles).filter((field) => student.adult || student.capacity[field].decidesForSelf);
  if (overridden.length === 0) return null;
  const fields = intl.formatList(
    overridden.map((field) => intl.formatMessage({ id: `citizen.field.${field}` })),
    { type: 'conjunction' },
  );
  return (
    <p className="no-longer-counts">
      <strong>
        <FormattedMessage id="citizen.consent.noLongerCounts" values={{ student: names.student(student.studentId, student.name), fields }} />
      </strong>
    </p>
  );
}
