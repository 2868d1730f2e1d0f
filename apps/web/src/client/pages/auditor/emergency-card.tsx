import { FormattedMessage, useIntl } from 'react-intl';
import { DateTime, useTerms } from '../../components/format';
import type { Decision } from './api-shapes';
import { OutcomeTag } from './decision-table';

/** The heading's words for an emergency access: who used it, on whose data, when. */
export function useEmergencyName() {
  const intl = useIntl();
  const term = useTerms();
  return (decision: Decision) =>
    intl.formatMessage(
      { id: 'auditor.emergency.itemTitle' },
      { role: term('role', decision.requester.role), sub: decision.requester.sub, studentId: decision.studentId },
    );
}

/** What an auditor weighs in a review: the justification, the window, what was released, the reviews so far. */
export function EmergencyFacts({ decision }: { decision: Decision }) {
  const intl = useIntl();
  const term = useTerms();
  return (
    <dl className="facts">
      <dt>
        <FormattedMessage id="auditor.emergency.decidedAt" />
      </dt>
      <dd>
        <DateTime value={decision.decidedAt} />
      </dd>
      {decision.emergencyWindow && (
        <>
          <dt>
            <FormattedMessage id="auditor.emergency.window" />
          </dt>
          <dd>
            <DateTime value={decision.emergencyWindow.startedAt} /> – <DateTime value={decision.emergencyWindow.endsAt} />
          </dd>
        </>
      )}
      <dt>
        <FormattedMessage id="auditor.emergency.organisation" />
      </dt>
      <dd>{decision.requester.org}</dd>
      <dt>
        <FormattedMessage id="auditor.emergency.purpose" />
      </dt>
      <dd>{decision.purpose}</dd>
      <dt>
        <FormattedMessage id="auditor.emergency.justification" />
      </dt>
      <dd className="auditor-quote">{decision.justification ?? intl.formatMessage({ id: 'auditor.emergency.noJustification' })}</dd>
      <dt>
        <FormattedMessage id="auditor.emergency.outcome" />
      </dt>
      <dd>
        <OutcomeTag outcome={decision.outcome} />{' '}
        {decision.categories.map((c) => `${term('category', c.category)}: ${term('outcome', c.outcome)}`).join(', ')}
      </dd>
      <dt>
        <FormattedMessage id="auditor.emergency.reviews" />
      </dt>
      <dd>
        {decision.reviews && decision.reviews.length > 0 ? (
          <ul>
            {decision.reviews.map((review) => (
              <li key={review.organisation}>
                <FormattedMessage
                  id="auditor.decision.reviewedBy"
                  values={{ organisation: review.organisation, outcome: review.outcome, reviewedAs: review.reviewedAs }}
                />{' '}
                (<DateTime value={review.reviewedAt} />, {review.reviewedBy})
              </li>
            ))}
          </ul>
        ) : (
          <FormattedMessage id="auditor.emergency.noReviews" />
        )}
      </dd>
      <dt>
        <FormattedMessage id="auditor.emergency.disclosureId" />
      </dt>
      <dd className="auditor-id">{decision.disclosureId}</dd>
    </dl>
  );
}
