import type { Decider } from '@silta/event-store';
import { RosterError, unreachable } from './errors';

/** A school was registered by the municipality that runs it. */
export interface SchoolRegistered {
  readonly type: 'SchoolRegistered';
  readonly schoolId: string;
  readonly name: string;
  readonly municipalityId: string;
  readonly registeredAt: string;
}

/**
 * The school's municipality declared which welfare area serves the school (DESIGN.md §1, the
 * service relation); the newest declaration replaces the previous one.
 */
export interface SchoolServiceDeclared {
  readonly type: 'SchoolServiceDeclared';
  readonly schoolId: string;
  readonly municipalityId: string;
  readonly welfareAreaId: string;
  readonly declaredAt: string;
}

export type SchoolEvent = SchoolRegistered | SchoolServiceDeclared;

/** Register a school for the caller's municipality. */
export interface RegisterSchool {
  readonly type: 'RegisterSchool';
  readonly schoolId: string;
  readonly name: string;
  readonly byMunicipalityId: string;
  readonly registeredAt: string;
}

/** Declare which welfare area serves a school of the caller's municipality. */
export interface DeclareSchoolService {
  readonly type: 'DeclareSchoolService';
  readonly schoolId: string;
  readonly welfareAreaId: string;
  readonly byMunicipalityId: string;
  readonly declaredAt: string;
}

export type SchoolCommand = RegisterSchool | DeclareSchoolService;

/** What other deciders need to know about a school: that it exists, whose it is, and who serves it. */
export interface KnownSchool {
  readonly schoolId: string;
  readonly municipalityId: string;
  /** The welfare area the municipality declared to serve the school; absent until declared. */
  readonly servedByWelfareAreaId?: string;
}

export type SchoolState = { readonly status: 'unregistered' } | ({ readonly status: 'registered'; readonly name: string } & KnownSchool);

/** The school stream `school-<schoolId>`. */
export const schoolDecider: Decider<SchoolCommand, SchoolEvent, SchoolState> = {
  initialState: { status: 'unregistered' },

  decide(command, state) {
    switch (command.type) {
      case 'RegisterSchool':
        if (state.status === 'registered') throw new RosterError('school_exists', `school ${command.schoolId} is already registered`);
        return [
          {
            type: 'SchoolRegistered',
            schoolId: command.schoolId,
            name: command.name,
            municipalityId: command.byMunicipalityId,
            registeredAt: command.registeredAt,
          },
        ];
      case 'DeclareSchoolService':
        return declareService(command, state);
      default:
        return unreachable(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'SchoolRegistered':
        return { status: 'registered', schoolId: event.schoolId, name: event.name, municipalityId: event.municipalityId };
      case 'SchoolServiceDeclared':
        return state.status === 'registered' ? { ...state, servedByWelfareAreaId: event.welfareAreaId } : state;
      default:
        return unreachable(event);
    }
  },
};

function declareService(command: DeclareSchoolService, state: SchoolState): readonly SchoolEvent[] {
  if (state.status !== 'registered') throw new RosterError('school_not_found', `school ${command.schoolId} is not registered`);
  if (state.municipalityId !== command.byMunicipalityId) {
    throw new RosterError('other_organisation', `school ${command.schoolId} belongs to another municipality`);
  }
  // Declaring what is already declared changes nothing, so a retried PUT writes nothing.
  if (state.servedByWelfareAreaId === command.welfareAreaId) return [];
  return [
    {
      type: 'SchoolServiceDeclared',
      schoolId: command.schoolId,
      municipalityId: state.municipalityId,
      welfareAreaId: command.welfareAreaId,
      declaredAt: command.declaredAt,
    },
  ];
}

/** The school as other deciders see it, or undefined if it was never registered. */
export function knownSchool(state: SchoolState): KnownSchool | undefined {
  if (state.status !== 'registered') return undefined;
  const { schoolId, municipalityId, servedByWelfareAreaId } = state;
  return { schoolId, municipalityId, ...(servedByWelfareAreaId !== undefined && { servedByWelfareAreaId }) };
}
