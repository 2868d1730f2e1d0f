import { useRef, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, type ApiProblem } from '../../api';
import { ChoiceGroup, ProblemText } from '../../components/form';
import { LoadedView, PageTitle, useLoad } from '../../components/status';
import { useUser } from '../../session';
import type { Decision, DecisionPage, ReviewAnswer } from './api-shapes';
import { EmergencyFacts, useEmergencyName } from './emergency-card';
import { Pager, useCursorPages, useFocusAfterPaging } from '../../components/pager';
import { QUEUE_PAGE_SIZE } from './page-sizes';
import { ReviewStep } from './review-step';

type Status = 'unreviewed' | 'reviewed' | 'all';

/**
 * The emergency review queue (GET /v1/audit/emergency-reviews): every emergency access in the
 * auditor's organisation's scope that their organisation has not reviewed yet, and, on request,
 * those it has. Each access can be reviewed once per organisation; the queue is read again after
 * a review, so the reviewed access leaves it.
 */
export function EmergencyReviewsPage() {
  const intl = useIntl();
  const user = useUser();
  const nameOf = useEmergencyName();
  const [status, setStatus] = useState<Status>('unreviewed');
  const [reviewing, setReviewing] = useState<string | undefined>();
  const [recorded, setRecorded] = useState<{ answer: ReviewAnswer; name: string } | undefined>();
  const [outdated, setOutdated] = useState<ApiProblem | undefined>();
  const announcement = useRef<HTMLDivElement>(null);
  const pages = useCursorPages();
  const loaded = useLoad((signal) => api<DecisionPage>('disclosure', 'v1/audit/emergency-reviews', { signal, query: { status, cursor: pages.cursor, limit: QUEUE_PAGE_SIZE } }), [status, pages.cursor]);

  const queueHeading = useRef<HTMLHeadingElement>(null);
  useFocusAfterPaging(pages, loaded.loading, queueHeading);

  const show = (next: string) => {
    pages.restart();
    setReviewing(undefined);
    setStatus(next as Status);
  };
  const reviewedByUs = (decision: Decision) => (decision.reviews ?? []).some((review) => review.organisation === user.org);
  /** After a review, or a refusal saying the queue is out of date: read it again and say what happened where the focus goes. */
  const settle = () => {
    setReviewing(undefined);
    loaded.reload();
    window.requestAnimationFrame(() => announcement.current?.focus());
  };
  const onRecorded = (decision: Decision) => (answer: ReviewAnswer) => {
    setOutdated(undefined);
    setRecorded({ answer, name: nameOf(decision) });
    settle();
  };
  const onOutdated = (problem: ApiProblem) => {
    setRecorded(undefined);
    setOutdated(problem);
    settle();
  };

  return (
    <>
      <PageTitle>
        <FormattedMessage id="auditor.emergency.title" />
      </PageTitle>
      <p>
        <FormattedMessage id="auditor.emergency.intro" />
      </p>
      <div className="auditor-announcement" aria-live="polite" role="status" tabIndex={-1} ref={announcement}>
        {recorded && (
          <div className="notice notice-success">
            <p>
              <FormattedMessage
                id="auditor.emergency.recorded"
                values={{ name: recorded.name, outcome: recorded.answer.outcome, reviewedAs: recorded.answer.reviewedAs }}
              />
            </p>
          </div>
        )}
        {outdated && (
          <div className="notice notice-warning">
            <ProblemText problem={outdated} />
          </div>
        )}
      </div>
      <ChoiceGroup
        name="status"
        label={intl.formatMessage({ id: 'auditor.emergency.show' })}
        required
        value={status}
        onChange={show}
        options={(['unreviewed', 'reviewed', 'all'] as const).map((value) => ({ value, label: <FormattedMessage id={`auditor.emergency.status.${value}`} /> }))}
      />
      <section aria-labelledby="auditor-queue" aria-busy={loaded.loading}>
        <h2 id="auditor-queue" tabIndex={-1} ref={queueHeading}>
          <FormattedMessage id="auditor.emergency.queueHeading" values={{ status }} />
        </h2>
        {/* While another list loads, the one shown belongs to the choice before: show neither. */}
        <LoadedView loaded={loaded.loading ? { ...loaded, data: undefined } : loaded}>
          {(page) =>
            page.disclosures.length === 0 ? (
              <p>
                <FormattedMessage id="auditor.emergency.empty" values={{ status }} />
              </p>
            ) : (
              <>
                <ul className="auditor-queue">
                  {page.disclosures.map((decision) => {
                    const name = nameOf(decision);
                    const headingId = `auditor-emergency-${decision.disclosureId}`;
                    return (
                      <li key={decision.disclosureId}>
                        <article className="panel" aria-labelledby={headingId}>
                          <h3 id={headingId}>{name}</h3>
                          <EmergencyFacts decision={decision} />
                          {reviewing === decision.disclosureId ? (
                            <ReviewStep decision={decision} name={name} onCancel={() => setReviewing(undefined)} onRecorded={onRecorded(decision)} onOutdated={onOutdated} />
                          ) : reviewedByUs(decision) ? (
                            <p>
                              <FormattedMessage id="auditor.emergency.alreadyReviewed" />
                            </p>
                          ) : (
                            <div className="actions">
                              <button type="button" className="primary" aria-describedby={headingId} onClick={() => setReviewing(decision.disclosureId)}>
                                <FormattedMessage id="auditor.emergency.review" />
                              </button>
                            </div>
                          )}
                        </article>
                      </li>
                    );
                  })}
                </ul>
                <Pager pages={pages} nextCursor={page.nextCursor} label={intl.formatMessage({ id: 'auditor.pager.label' })} />
              </>
            )
          }
        </LoadedView>
      </section>
    </>
  );
}
