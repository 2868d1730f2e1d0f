import type { Assessor, CapacityField } from './capacity.events';
import type { StudentStanding } from './standing';

/** Records a professional's judgement of whether the student decides their field's matters themselves. */
export interface AssessCapacity {
  readonly type: 'AssessCapacity';
  readonly studentId: string;
  readonly field: CapacityField;
  readonly decidesForSelf: boolean;
  /** The day of the assessment, YYYY-MM-DD; not after today. */
  readonly assessedOn: string;
  readonly actor: Assessor;
  /** The professional must be assigned to the student's school, as for confidentiality. */
  readonly standing: StudentStanding;
  readonly now: Date;
}

/** Everything one can ask of a student's capacity. */
export type CapacityCommand = AssessCapacity;
