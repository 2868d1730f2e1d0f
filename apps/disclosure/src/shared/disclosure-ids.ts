import { v5 as uuidv5 } from 'uuid';
import type { Principal } from '@silta/platform';

/** Name-based ids: the same requester and requestId always give the same disclosure id. */
export const DISCLOSURE_NAMESPACE = '5d0b3c1e-8f0a-4c8e-9a57-2f1c4b7d9e10';

/**
 * The disclosure id of a requester's requestId. A requester is (organisation, subject): the same
 * `sub` under another welfare area is another person and gets other ids (DESIGN.md §3).
 */
export function disclosureIdOf(caller: Pick<Principal, 'org' | 'sub'>, requestId: string): string {
  return uuidv5(`${caller.org ?? ''}\n${caller.sub}\n${requestId}`, DISCLOSURE_NAMESPACE);
}
