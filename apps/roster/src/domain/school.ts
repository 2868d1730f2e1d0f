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

export type SchoolEvent = SchoolRegistered;

/** Register a school for the caller's municipality. */
export interface RegisterSchool {
  readonly type: 'RegisterSchool';
  readonly schoolId: string;
  readonly name: string;
  readonly byMunicipalityId: string;
  readonly registeredAt: string;
}

export type SchoolCommand = RegisterSchool;

/** What other deciders need to know about a school: that it exists, and whose it is. */
export interface KnownSchool {
  readonly schoolId: string;
  readonly municipalityId: string;
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
      default:
        return unreachable(command.type);
    }
  },

  evolve(_state, event) {
    switch (event.type) {
      case 'SchoolRegistered':
        return { status: 'registered', schoolId: event.schoolId, name: event.name, municipalityId: event.municipalityId };
      default:
        return unreachable(event.type);
    }
  },
};

/** The school as other deciders see it, or undefined if it was never registered. */
export function knownSchool(state: SchoolState): KnownSchool | undefined {
  return state.status === 'registered' ? { schoolId: state.schoolId, municipalityId: state.municipalityId } : undefined;
}
