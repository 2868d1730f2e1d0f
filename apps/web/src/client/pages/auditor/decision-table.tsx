import { FormattedMessage, useIntl } from 'react-intl';
import { DateTime, useTerms } from '../../components/format';
import type { Decision } from './api-shapes';

/** The outcome as a word in a tag: the colour only repeats what the word says. */
export function OutcomeTag({ outcome }: { outcome: Decision['outcome'] }) {
  const term = useTerms();
  return <span className={`tag tag-${outcome}`}>{term('outcome', outcome)}</span>;
}

/** Who asked: the professional's role and id at their organisation. */
export function Requester({ requester }: { requester: Decision['requester'] }) {
  const term = useTerms();
  return (
    <FormattedMessage id="auditor.decision.requester" values={{ role: term('role', requester.role), sub: requester.sub, org: requester.org }} />
  );
}

/** What the decision was flagged for, and each organisation's review so far, in words. */
function Flags({ decision }: { decision: Decision }) {
  const intl = useIntl();
  const notes = [
    decision.flags.supervision && intl.formatMessage({ id: 'auditor.decision.flag.supervision' }),
    decision.flags.review && intl.formatMessage({ id: 'auditor.decision.flag.review' }),
    ...(decision.reviews ?? []).map((review) =>
      intl.formatMessage({ id: 'auditor.decision.reviewedBy' }, { organisation: review.organisation, outcome: review.outcome, reviewedAs: review.reviewedAs }),
    ),
  ].filter((note): note is string => Boolean(note));
  if (notes.length === 0) return <FormattedMessage id="auditor.decision.noFlags" />;
  return (
    <ul className="auditor-flags">
      {notes.map((note) => (
        <li key={note}>{note}</li>
      ))}
    </ul>
  );
}

/** Decisions as a table with a caption; ids are shown whole, so an auditor can search or export by them. */
export function DecisionTable({ decisions, caption }: { decisions: readonly Decision[]; caption: string }) {
  const term = useTerms();
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">
              <FormattedMessage id="auditor.decision.decidedAt" />
            </th>
            <th scope="col">
              <FormattedMessage id="auditor.decision.student" />
            </th>
            <th scope="col">
              <FormattedMessage id="auditor.decision.requestedBy" />
            </th>
            <th scope="col">
              <FormattedMessage id="auditor.decision.basisAndPurpose" />
            </th>
            <th scope="col">
              <FormattedMessage id="auditor.decision.outcome" />
            </th>
            <th scope="col">
              <FormattedMessage id="auditor.decision.flags" />
            </th>
          </tr>
        </thead>
        <tbody>
          {decisions.map((decision) => (
            <tr key={decision.disclosureId}>
              <th scope="row">
                <DateTime value={decision.decidedAt} />
                <span className="auditor-id">{decision.disclosureId}</span>
              </th>
              <td>{decision.studentId}</td>
              <td>
                <Requester requester={decision.requester} />
              </td>
              <td>
                {term('basis', decision.basis)}
                {decision.caseId && (
                  <>
                    {' '}
                    <FormattedMessage id="auditor.decision.case" values={{ caseId: decision.caseId }} />
                  </>
                )}
                <span className="auditor-purpose">{decision.purpose}</span>
              </td>
              <td>
                <OutcomeTag outcome={decision.outcome} />
                <span className="auditor-categories">{decision.categories.map((c) => `${term('category', c.category)}: ${term('outcome', c.outcome)}`).join(', ')}</span>
              </td>
              <td>
                <Flags decision={decision} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
