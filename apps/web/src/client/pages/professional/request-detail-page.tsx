import type { ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../api';
import { DateTime, useTerms } from '../../components/format';
import { LoadedView, PageTitle, useLoad } from '../../components/status';
import { Link, segment } from '../../router';
import { releasedCategories, type DisclosureDecision } from './api-shapes';
import { EmergencyWindowNotice } from './disclosure-answer';
import { capitalise, OutcomeTag } from './outcome-list';
import { ReceiptSection } from './receipt';

/**
 * One of the professional's decisions as recorded: what was asked, on which basis, the outcome
 * per category and why, the reviews of an emergency access, and the receipt. The record holds no
 * data: released data is shown once, in the answer to the request.
 */
export function RequestDetailPage({ disclosureId }: { disclosureId: string }) {
  const loaded = useLoad((signal) => api<DisclosureDecision>('disclosure', `v1/disclosures/${segment(disclosureId)}`, { signal }), [disclosureId]);
  return (
    <>
      <PageTitle>
        <FormattedMessage id="professional.detail.title" />
      </PageTitle>
      <p>
        <Link to="/professional/requests">
          <FormattedMessage id="professional.detail.back" />
        </Link>
      </p>
      <LoadedView loaded={loaded}>{(decision) => <Decision decision={decision} />}</LoadedView>
    </>
  );
}

function Decision({ decision }: { decision: DisclosureDecision }) {
  const term = useTerms();
  const released = releasedCategories(decision.categories);
  const windowOpen = decision.emergencyWindow && Date.parse(decision.emergencyWindow.endsAt) > Date.now();
  return (
    <>
      {windowOpen && <EmergencyWindowNotice endsAt={decision.emergencyWindow!.endsAt} />}
      <section className="panel" aria-labelledby="request-heading">
        <h2 id="request-heading">
          <FormattedMessage id="professional.detail.request" />
        </h2>
        <dl className="facts">
          <Fact label="professional.detail.decidedAt">
            <DateTime value={decision.decidedAt} />
          </Fact>
          <Fact label="professional.detail.student">{decision.studentId}</Fact>
          <Fact label="professional.detail.basis">{term('basis', decision.basis)}</Fact>
          <Fact label="professional.detail.purpose">{decision.purpose}</Fact>
          {decision.caseId && <Fact label="professional.detail.caseId">{decision.caseId}</Fact>}
          {decision.justification && <Fact label="professional.detail.justification">{decision.justification}</Fact>}
          <Fact label="professional.detail.outcome">
            <OutcomeTag outcome={decision.outcome} />
          </Fact>
          {decision.emergencyWindow && (
            <Fact label="professional.detail.window">
              <FormattedMessage
                id="professional.detail.windowValue"
                values={{ from: <DateTime value={decision.emergencyWindow.startedAt} />, until: <DateTime value={decision.emergencyWindow.endsAt} /> }}
              />
            </Fact>
          )}
          <Fact label="professional.detail.policy">{decision.policy.version}</Fact>
          <Fact label="professional.detail.disclosureId">
            <code>{decision.disclosureId}</code>
          </Fact>
        </dl>
        {decision.flags.supervision && (
          <p>
            <FormattedMessage id="professional.answer.supervision" />
          </p>
        )}
        {decision.flags.review && (
          <p>
            <FormattedMessage id="professional.answer.review" />
          </p>
        )}
      </section>

      <section className="panel" aria-labelledby="categories-heading">
        <h2 id="categories-heading">
          <FormattedMessage id="professional.detail.categories" />
        </h2>
        <div className="table-wrap">
          <table>
            <caption>
              <FormattedMessage id="professional.detail.categoriesCaption" />
            </caption>
            <thead>
              <tr>
                <th scope="col">
                  <FormattedMessage id="professional.detail.category" />
                </th>
                <th scope="col">
                  <FormattedMessage id="professional.detail.outcome" />
                </th>
                <th scope="col">
                  <FormattedMessage id="professional.detail.reason" />
                </th>
              </tr>
            </thead>
            <tbody>
              {decision.categories.map((c) => (
                <tr key={c.category}>
                  <th scope="row">{capitalise(term('category', c.category))}</th>
                  <td>
                    <OutcomeTag outcome={c.outcome} />
                  </td>
                  <td>
                    <ReasonText code={c.reason} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="hint">
          <FormattedMessage id={released.length > 0 ? 'professional.detail.dataNotKept' : 'professional.answer.nothingReleased'} />
        </p>
      </section>

      {decision.reviews && (
        <section className="panel" aria-labelledby="reviews-heading">
          <h2 id="reviews-heading">
            <FormattedMessage id="professional.detail.reviews" />
          </h2>
          {decision.reviews.length === 0 ? (
            <p>
              <FormattedMessage id="professional.detail.notReviewed" />
            </p>
          ) : (
            <ul>
              {decision.reviews.map((review) => (
                <li key={`${review.organisation}-${review.reviewedAt}`}>
                  <FormattedMessage
                    id="professional.detail.review"
                    values={{ organisation: review.organisation, outcome: review.outcome, at: <DateTime value={review.reviewedAt} /> }}
                  />
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {released.length > 0 && <ReceiptSection disclosureId={decision.disclosureId} />}
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>
        <FormattedMessage id={label} />
      </dt>
      <dd>{children}</dd>
    </>
  );
}

/** A recorded reason code in words (the record keeps the code; the request's answer gave the API's full sentence). */
function ReasonText({ code }: { code: string }) {
  const intl = useIntl();
  const id = `professional.reason.${code}`;
  return <>{intl.messages[id] ? intl.formatMessage({ id }) : code}</>;
}
