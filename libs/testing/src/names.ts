import { randomUUID } from 'node:crypto';

/** A name no other test run uses: topics, groups, streams. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
