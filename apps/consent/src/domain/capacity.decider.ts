import { CAPACITY_FIELD_OF } from '@silta/contracts';
import type { AssessCapacity, CapacityCommand } from './capacity.commands';
import { CAPACITY_FIELDS, type Assessor, type CapacityEvent, type CapacityField } from './capacity.events';
import { unreachable } from './consent';
import { ConsentError } from './consent.errors';
import type { WelfareRole } from './consent.events';
import { currentAssignment, type StudentStanding } from './standing';

/** The latest assessment in one field. */
export interface CapacityAssessment {
  readonly decidesForSelf: boolean;
  readonly assessedOn: string;
  readonly assessedBy: Assessor;
  readonly at: string;
}

/** A student's capacity as their stream tells it: the latest assessment per field, if any. */
export interface StudentCapacity {
  readonly assessments: Readonly<Partial<Record<CapacityField, CapacityAssessment>>>;
}

/** The state of a stream with no events: nobody has assessed the student, so they decide nothing alone. */
export const initialCapacity: StudentCapacity = { assessments: {} };

/** The stream that holds one student's capacity assessments. */
export function capacityStreamId(studentId: string): string {
  return `capacity-${studentId}`;
}

/** Who may see a student's capacity: the student themself, or a professional. */
export type CapacityViewer = { readonly kind: 'student'; readonly id: string } | ({ readonly kind: 'professional' } & Assessor);

/**
 * Why `viewer` may not see the student's capacity, or undefined when they may: the student
 * themself, or a professional holding today an assignment to the student's current school in the
 * welfare area declared to serve it (the rule confidentiality uses too).
 */
export function capacityViewingRefusal(viewer: CapacityViewer, studentId: string, standing: StudentStanding, now: Date): ConsentError | undefined {
  if (viewer.kind === 'student') {
    return viewer.id === studentId ? undefined : new ConsentError('not_the_student', "a student may see only their own capacity");
  }
  return currentAssignment(viewer, standing, now) ? undefined : notAssigned(viewer.role);
}

/**
 * The fields a consent addresses: those of its recipient roles, or both when it names none
 * (every profession of the welfare area).
 */
export function fieldsAddressed(roles: readonly WelfareRole[] | undefined): readonly CapacityField[] {
  if (roles === undefined) return CAPACITY_FIELDS;
  return CAPACITY_FIELDS.filter((field) => roles.some((role) => CAPACITY_FIELD_OF[role] === field));
}

/** True when the latest assessment in every one of `fields` says the student decides for themselves. */
export function decidesForSelfIn(capacity: StudentCapacity, fields: readonly CapacityField[]): boolean {
  return fields.length > 0 && fields.every((field) => capacity.assessments[field]?.decidesForSelf === true);
}

/** Decides a command against the student's capacity; throws ConsentError to refuse. */
export function decideCapacity(command: CapacityCommand, _state: StudentCapacity): readonly CapacityEvent[] {
  // One command so far, and an assessment does not depend on the one before it.
  return assess(command);
}

/** Folds one event into the state: the newest assessment of a field replaces the one before. */
export function evolveCapacity(state: StudentCapacity, event: CapacityEvent): StudentCapacity {
  switch (event.type) {
    case 'CapacityAssessed': {
      const { decidesForSelf, assessedOn, assessedBy, at } = event;
      return { assessments: { ...state.assessments, [event.field]: { decidesForSelf, assessedOn, assessedBy, at } } };
    }
    default:
      return unreachable(event.type);
  }
}

/** The pure decider of a student's capacity stream (STYLE.md). */
export const capacityDecider = {
  initialState: initialCapacity,
  decide: decideCapacity,
  evolve: evolveCapacity,
};

/**
 * Records every assessment, even one repeating the current value: who judged, and when, is what a
 * later reader of a consent needs to trust it.
 */
function assess(command: AssessCapacity): readonly CapacityEvent[] {
  const { actor, field } = command;
  if (CAPACITY_FIELD_OF[actor.role] !== field) {
    throw new ConsentError('field_not_yours', `a ${actor.role} assesses capacity in ${CAPACITY_FIELD_OF[actor.role]}, not in ${field}`);
  }
  if (!currentAssignment(actor, command.standing, command.now)) throw notAssigned(actor.role);
  // ISO days order as strings; today in UTC, as the assignment check counts days.
  if (command.assessedOn > command.now.toISOString().slice(0, 10)) {
    throw new ConsentError('assessed_in_future', `assessedOn ${command.assessedOn} is in the future`);
  }
  return [
    {
      type: 'CapacityAssessed',
      studentId: command.studentId,
      field,
      decidesForSelf: command.decidesForSelf,
      assessedOn: command.assessedOn,
      assessedBy: { id: actor.id, role: actor.role, org: actor.org },
      at: command.now.toISOString(),
    },
  ];
}

function notAssigned(role: string): ConsentError {
  return new ConsentError('not_assigned_to_student', `a ${role} may see or assess capacity only while assigned to the student's school, which their welfare area serves`);
}
