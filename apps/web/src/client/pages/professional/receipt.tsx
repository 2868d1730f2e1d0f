import { useEffect } from 'react';
import { FormattedMessage } from 'react-intl';
import { api, ApiProblem } from '../../api';
import { DateTime, useTerms } from '../../components/format';
import { Sending, useSubmit } from '../../components/form';
import { Notice, ProblemNotice } from '../../components/status';
import { segment } from '../../router';
import { useDraft } from '../../session';
import type { Category, ReceiptAnswer } from './api-shapes';

/**
 * What a receipt names: the released categories and the hash of the data as it arrived. Kept in
 * this tab (as a draft, so signing out clears it) because only the answer to the request carries
 * the hash: the decision's record holds no data. No personal data is kept, only the hash.
 */
export interface ReceiptTicket {
  readonly categories: readonly Category[];
  readonly dataHash: string;
  /** Set once the receipts service has recorded the receipt. */
  readonly receivedAt: string;
}

const NO_TICKET: ReceiptTicket = { categories: [], dataHash: '', receivedAt: '' };
const ticketKey = (disclosureId: string) => `professional.receipt.${disclosureId}`;

/** The ticket of a disclosure answered in this tab, if any. */
export function useReceiptTicket(disclosureId: string) {
  return useDraft<ReceiptTicket>(ticketKey(disclosureId), NO_TICKET);
}

/**
 * Acknowledging receipt on the welfare area's own receipts service: the requester confirms which
 * categories arrived and the data's hash; it is recorded on the welfare area's audit log, once.
 * Shows the state after: acknowledged (with when), or why not yet.
 */
export function ReceiptSection({ disclosureId, released }: { disclosureId: string; released?: { categories: readonly Category[]; dataHash: string } }) {
  const [ticket, setTicket] = useReceiptTicket(disclosureId);
  const { busy, problem, run } = useSubmit();
  const term = useTerms();

  // The answer page hands over what it received; the detail page finds it here later in this tab.
  useEffect(() => {
    if (released && released.categories.length > 0 && ticket.dataHash !== released.dataHash) setTicket({ ...released, receivedAt: '' });
  }, [released?.dataHash]);

  if (ticket.dataHash === '') {
    return released ? null : (
      <section className="panel receipt" aria-labelledby="receipt-heading">
        <h2 id="receipt-heading">
          <FormattedMessage id="professional.receipt.title" />
        </h2>
        <p>
          <FormattedMessage id="professional.receipt.onlyAfterRequest" />
        </p>
      </section>
    );
  }

  const acknowledge = () =>
    void run(async () => {
      try {
        const receipt = await api<ReceiptAnswer>('receipts', `v1/disclosures/${segment(disclosureId)}/receipt`, {
          method: 'POST',
          body: { receivedCategories: ticket.categories, dataHash: ticket.dataHash },
        });
        setTicket({ ...ticket, receivedAt: receipt.receivedAt });
      } catch (error) {
        // Acknowledged before (another tab, or an answer lost on the way): that is the state to show.
        const earlier = error instanceof ApiProblem && error.code === 'already_receipted' ? /\d{4}-\d{2}-\d{2}T[^\s]+/.exec(error.detail)?.[0] : undefined;
        if (!earlier) throw error;
        setTicket({ ...ticket, receivedAt: earlier });
      }
    });

  return (
    <section className="panel receipt" aria-labelledby="receipt-heading">
      <h2 id="receipt-heading">
        <FormattedMessage id="professional.receipt.title" />
      </h2>
      <div aria-live="polite">
        {ticket.receivedAt ? (
          <Notice kind="success">
            <p>
              <FormattedMessage id="professional.receipt.done" values={{ at: <DateTime value={ticket.receivedAt} /> }} />
            </p>
          </Notice>
        ) : problem?.code === 'disclosure_not_known' ? (
          <Notice kind="warning">
            <p>
              <FormattedMessage id="professional.receipt.notYetKnown" />
            </p>
          </Notice>
        ) : problem ? (
          <ProblemNotice problem={problem} />
        ) : null}
      </div>
      {!ticket.receivedAt && (
        <>
          <p>
            <FormattedMessage
              id="professional.receipt.intro"
              values={{ categories: ticket.categories.map((c) => term('category', c)).join(', ') }}
            />
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={acknowledge} disabled={busy} aria-disabled={busy}>
              <FormattedMessage id="professional.receipt.button" />
            </button>
            <Sending busy={busy} />
          </div>
        </>
      )}
    </section>
  );
}
