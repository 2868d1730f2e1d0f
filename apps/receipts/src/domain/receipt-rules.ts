import { refusalsOf, type DataCategory as Category } from '@silta/contracts';
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

/** A receipt the rules refuse; `code` is stable and safe to show the caller. */
export class ReceiptRefusal extends refusalsOf({
  not_the_requester: 'forbidden',
  nothing_released: 'conflict',
  already_receipted: 'conflict',
  categories_mismatch: 'invalid',
}) {}

/**
 * Only the professional who requested a disclosure may acknowledge it, once, and only for a
 * disclosure that released something, naming exactly the categories released (no more, no fewer,
 * no repeats); anything else is refused with a ReceiptRefusal. Time and the receiver are passed in.
 */
export function decideReceipt(
  disclosure: DisclosureToAcknowledge,
  claim: ReceiptClaim,
  receiver: DisclosureReceived['receiver'],
  receivedAt: string,
): DisclosureReceived {
  if (receiver.sub !== disclosure.requesterSub) {
    throw new ReceiptRefusal('not_the_requester', 'only the professional who requested the disclosure may acknowledge it');
  }
  if (disclosure.released.length === 0) throw new ReceiptRefusal('nothing_released', 'the decision released nothing to acknowledge');
  if (disclosure.receiptAt) throw new ReceiptRefusal('already_receipted', `acknowledged ${disclosure.receiptAt}`);
  if (!sameSet(claim.receivedCategories, disclosure.released)) {
    throw new ReceiptRefusal('categories_mismatch', `received categories must be exactly the released ones: ${[...disclosure.released].sort().join(', ')}`);
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

function sameSet(claimed: readonly Category[], released: readonly Category[]): boolean {
  const claimedSet = new Set(claimed);
  const releasedSet = new Set(released);
  return claimedSet.size === claimed.length && claimedSet.size === releasedSet.size && [...claimedSet].every((c) => releasedSet.has(c));
}
