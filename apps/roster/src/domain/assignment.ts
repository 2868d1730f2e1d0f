import type { Decider } from '@silta/event-store';
import { RosterError, unreachable } from './errors';
import type { KnownSchool } from './school';

/** Welfare professions a welfare area assigns to schools. */
export const PROFESSIONS = ['curator', 'psychologist', 'nurse', 'doctor'] as const;
export type Profession = (typeof PROFESSIONS)[number];

// ---- events (stream `assignment-<assignmentId>`) ----

/** A welfare area assigned one of its professionals to serve a school, for a period of days. */
export interface ProfessionalAssigned {
  readonly type: 'ProfessionalAssigned';
  readonly assignmentId: string;
  readonly professionalId: string;
  readonly role: Profession;
  readonly welfareAreaId: string;
  readonly schoolId: string;
  /** First day, YYYY-MM-DD. */
  readonly validFrom: string;
  /** Last day, YYYY-MM-DD; open-ended when absent. */
  readonly validUntil?: string;
  readonly assignedAt: string;
}

/** The assignment ended before (or without) its last day. */
export interface AssignmentEnded {
  readonly type: 'AssignmentEnded';
  readonly assignmentId: string;
  readonly schoolId: string;
  readonly welfareAreaId: string;
  readonly endedAt: string;
}

export type AssignmentEvent = ProfessionalAssigned | AssignmentEnded;

// ---- commands: `byWelfareAreaId` is the caller's welfare area, from the token ----

/** Assign a professional of the caller's welfare area to a school. */
export interface AssignProfessional {
  readonly type: 'AssignProfessional';
  readonly assignmentId: string;
  readonly professionalId: string;
  readonly role: Profession;
  readonly welfareAreaId: string;
  /** The school named in the request, or undefined if it is not registered. */
  readonly school: KnownSchool | undefined;
  readonly validFrom: string;
  readonly validUntil?: string;
  readonly byWelfareAreaId: string;
  readonly assignedAt: string;
}

/** End an active assignment of the caller's welfare area. */
export interface EndAssignment {
  readonly type: 'EndAssignment';
  readonly assignmentId: string;
  readonly byWelfareAreaId: string;
  readonly endedAt: string;
}

export type AssignmentCommand = AssignProfessional | EndAssignment;

export type AssignmentState =
  | { readonly status: 'none' }
  | { readonly status: 'active' | 'ended'; readonly assignmentId: string; readonly schoolId: string; readonly welfareAreaId: string };

/** The assignment stream `assignment-<assignmentId>`. */
export const assignmentDecider: Decider<AssignmentCommand, AssignmentEvent, AssignmentState> = {
  initialState: { status: 'none' },

  decide(command, state) {
    switch (command.type) {
      case 'AssignProfessional':
        return assign(command, state);
      case 'EndAssignment':
        if (state.status === 'none') throw new RosterError('assignment_not_found', `assignment ${command.assignmentId} does not exist`);
        if (state.welfareAreaId !== command.byWelfareAreaId) {
          throw new RosterError('other_organisation', `assignment ${command.assignmentId} belongs to another welfare area`);
        }
        if (state.status === 'ended') throw new RosterError('assignment_already_ended', `assignment ${command.assignmentId} has already ended`);
        return [
          { type: 'AssignmentEnded', assignmentId: command.assignmentId, schoolId: state.schoolId, welfareAreaId: state.welfareAreaId, endedAt: command.endedAt },
        ];
      default:
        return unreachable(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ProfessionalAssigned':
        return { status: 'active', assignmentId: event.assignmentId, schoolId: event.schoolId, welfareAreaId: event.welfareAreaId };
      case 'AssignmentEnded':
        return state.status === 'none' ? state : { ...state, status: 'ended' };
      default:
        return unreachable(event);
    }
  },
};

function assign(command: AssignProfessional, state: AssignmentState): readonly AssignmentEvent[] {
  if (command.welfareAreaId !== command.byWelfareAreaId) {
    throw new RosterError('other_organisation', 'a welfare admin assigns only the professionals of their own welfare area');
  }
  if (!command.school) throw new RosterError('school_not_found', 'the school is not registered');
  // No professional is assigned outside the service relation the school's municipality declared.
  if (command.school.servedByWelfareAreaId !== command.welfareAreaId) {
    throw new RosterError('school_not_served', `school ${command.school.schoolId} is not served by welfare area ${command.welfareAreaId}`);
  }
  if (state.status !== 'none') throw new RosterError('assignment_exists', `assignment ${command.assignmentId} already exists`);
  // ISO dates (YYYY-MM-DD) order as strings.
  if (command.validUntil !== undefined && command.validUntil < command.validFrom) {
    throw new RosterError('invalid_validity_period', `validUntil ${command.validUntil} is before validFrom ${command.validFrom}`);
  }
  return [
    {
      type: 'ProfessionalAssigned',
      assignmentId: command.assignmentId,
      professionalId: command.professionalId,
      role: command.role,
      welfareAreaId: command.welfareAreaId,
      schoolId: command.school.schoolId,
      validFrom: command.validFrom,
      ...(command.validUntil !== undefined && { validUntil: command.validUntil }),
      assignedAt: command.assignedAt,
    },
  ];
}
