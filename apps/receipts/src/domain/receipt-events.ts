import type { DataCategory } from '@silta/contracts';

/**
 * The welfare area's acknowledgement, on its own audit log, of what a released disclosure
 * delivered to its professional: the categories and the SHA-256 of the canonical JSON of the data
 * received. At most one per disclosure; disclosure records the same receipt on its log.
 */
export interface DisclosureReceived {
  readonly type: 'DisclosureReceived';
  readonly disclosureId: string;
  readonly studentId: string;
  readonly receiver: { readonly sub: string; readonly role: string; readonly org: string };
  readonly receivedCategories: readonly DataCategory[];
  /** Lowercase hex SHA-256 of canonicalJson(data) as the receiver got it. */
  readonly dataHash: string;
  readonly receivedAt: string;
}

/** The receipts service's audit events: receipts only. */
export type ReceiptsAuditEvent = DisclosureReceived;
