import type { DataCategory as Category } from '@silta/contracts';
import type { DisclosureReceived } from './receipt-events';

/** A released disclosure as a receipt needs to see it (from disclosure's DisclosureDecidedV1). */
export interface DisclosureToAcknowledge {
  readonly disclosureId: string;
  readonly studentId: string;
  readonly requesterSub: string;
  /** The categories the decision permitted: what was released. */
  readonly released: readonly Category[];
  /** Set once a receipt is on record. */
  readonly receiptAt: string | null;
}

/** What the receiver says arrived. */
export interface ReceiptClaim {
  readonly receivedCategories: readonly Category[];
  readonly dataHash: string;
}

export type ReceiptRefusalCode = 'not_the_requester' | 'nothing_released' | 'already_receipted' | 'categories_mismatch';

export interface ReceiptRefusal {
  readonly refused: ReceiptRefusalCode;
  readonly detail: string;
}

/**
 * Only the professional who requested a disclosure may acknowledge it, once, and only for a
 * disclosure that released something, naming exactly the categories released (no more, no fewer,
 * no repeats). Time and the receiver are passed in.
 */
export function decideReceipt(
  disclosure: DisclosureToAcknowledge,
  claim: ReceiptClaim,
  receiver: DisclosureReceived['receiver'],
  receivedAt: string,
): DisclosureReceived | ReceiptRefusal {
  if (receiver.sub !== disclosure.requesterSub) {
    return { refused: 'not_the_requester', detail: 'only the professional who requested the disclosure may acknowledge it' };
  }
  if (disclosure.released.length === 0) return { refused: 'nothing_released', detail: 'the decision released nothing to acknowledge' };
  if (disclosure.receiptAt) return { refused: 'already_receipted', detail: `acknowledged ${disclosure.receiptAt}` };
  if (!sameSet(claim.receivedCategories, disclosure.released)) {
    return {
      refused: 'categories_mismatch',
      detail: `received categories must be exactly the released ones: ${[...disclosure.released].sort().join(', ')}`,
    };
  }
  return {
    type: 'DisclosureReceived',
    disclosureId: disclosure.disclosureId,
    studentId: disclosure.studentId,
    receiver,
    receivedCategories: [...claim.receivedCategories].sort(),
    dataHash: claim.dataHash,
    receivedAt,
  };
}

export function isRefusal(outcome: DisclosureReceived | ReceiptRefusal): outcome is ReceiptRefusal {
  return 'refused' in outcome;
}

function sameSet(claimed: readonly Category[], released: readonly Category[]): boolean {
  const claimedSet = new Set(claimed);
  const releasedSet = new Set(released);
  return claimedSet.size === claimed.length && claimedSet.size === releasedSet.size && [...claimedSet].every((c) => releasedSet.has(c));
}
