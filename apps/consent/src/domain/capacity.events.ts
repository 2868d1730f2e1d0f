import type { WelfareRole } from './consent.events';

/**
 * The field a capacity assessment is for: social welfare (sosiaalihuollon asiakaslaki 812/2000
 * 10–11 §) or health care (potilaslaki 785/1992 7 §). Each law leaves the judgement to its own
 * professionals, so a student may decide one field's matters and not the other's.
 */
export type CapacityField = 'social_welfare' | 'health_care';

/** Every capacity field, in the order answers list them. */
export const CAPACITY_FIELDS: readonly CapacityField[] = ['social_welfare', 'health_care'];

/** The professional who assessed, as their token named them (role and welfare area kept). */
export interface Assessor {
  readonly id: string;
  readonly role: WelfareRole;
  readonly org: string;
}

/**
 * A professional of the field judged whether the student can decide the field's matters
 * themselves, on `assessedOn`. Every assessment is recorded, even one repeating the last.
 */
export interface CapacityAssessed {
  readonly type: 'CapacityAssessed';
  readonly studentId: string;
  readonly field: CapacityField;
  readonly decidesForSelf: boolean;
  /** The day of the assessment, YYYY-MM-DD. */
  readonly assessedOn: string;
  readonly assessedBy: Assessor;
  /** When it was recorded. */
  readonly at: string;
}

/** Everything that can happen to a student's capacity; stored in `capacity-<studentId>`. */
export type CapacityEvent = CapacityAssessed;

/** The event type names, for mapping stored events back to domain events. */
export const CAPACITY_EVENT_TYPES: ReadonlyArray<CapacityEvent['type']> = ['CapacityAssessed'];
