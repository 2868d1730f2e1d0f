import { useEffect, useRef } from 'react';
import { FormattedMessage } from 'react-intl';
import { DateTime } from '../../components/format';
import { Link, segment } from '../../router';
import { releasedCategories, type DisclosureAnswer, type DisclosureRequestBody } from './api-shapes';
import { OutcomeList, OutcomeTag } from './outcome-list';
import { ReceiptSection } from './receipt';
import { ReleasedDataView } from './released-data';

/**
 * The answer to a sent request: first the decision per category with its reason, then the
 * released data laid out per category, then the receipt. An emergency permit's window end comes
 * first of all, as the one thing the professional must not miss.
 */
export function DisclosureAnswerView({ request, answer, onNewRequest }: { request: DisclosureRequestBody; answer: DisclosureAnswer; onNewRequest: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The form is gone; the answer's heading takes the focus so the change is announced.
  useEffect(() => heading.current?.focus(), [answer.disclosureId]);
  const released = releasedCategories(answer.categories);
  return (
    <div className="disclosure-answer">
      <section className="panel" aria-labelledby="decision-heading">
        <h2 id="decision-heading" tabIndex={-1} ref={heading}>
          <FormattedMessage id="professional.answer.title" />
        </h2>
        {answer.emergencyWindow && <EmergencyWindowNotice endsAt={answer.emergencyWindow.endsAt} />}
        <p className="answer-outcome">
          <FormattedMessage id="professional.answer.outcome" values={{ student: request.studentId, outcome: <OutcomeTag outcome={answer.outcome} /> }} />
        </p>
        {answer.flags.supervision && (
          <p>
            <FormattedMessage id="professional.answer.supervision" />
          </p>
        )}
        {answer.flags.review && !answer.emergencyWindow && (
          <p>
            <FormattedMessage id="professional.answer.review" />
          </p>
        )}
        <OutcomeList categories={answer.categories} tense="did" />
      </section>

      <section className="panel released-data" aria-labelledby="released-heading">
        <h2 id="released-heading">
          <FormattedMessage id="professional.answer.dataTitle" />
        </h2>
        {released.length === 0 ? (
          <p>
            <FormattedMessage id="professional.answer.nothingReleased" />
          </p>
        ) : (
          <>
            <p className="hint">
              <FormattedMessage id="professional.answer.dataHint" />
            </p>
            <ReleasedDataView data={answer.data} categories={released} />
          </>
        )}
      </section>

      {released.length > 0 && <ReceiptSection disclosureId={answer.disclosureId} released={{ categories: released, dataHash: answer.dataHash }} />}

      <div className="actions">
        <Link to={`/professional/requests/${segment(answer.disclosureId)}`}>
          <FormattedMessage id="professional.answer.openRecord" />
        </Link>
        <button type="button" className="secondary" onClick={onNewRequest}>
          <FormattedMessage id="professional.answer.newRequest" />
        </button>
      </div>
    </div>
  );
}

/** The end of an emergency access window, large, with the word that the access is reviewed. */
export function EmergencyWindowNotice({ endsAt }: { endsAt: string }) {
  return (
    <div className="notice notice-warning emergency-window" role="status">
      <p className="emergency-window-end">
        <FormattedMessage id="professional.emergency.windowEnds" values={{ endsAt: <DateTime value={endsAt} /> }} />
      </p>
      <p>
        <FormattedMessage id="professional.emergency.reviewed" />
      </p>
    </div>
  );
}
