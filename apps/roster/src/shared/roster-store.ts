import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { WrongExpectedVersionError, handleCommand, loadState, type Decider, type EventStore, type NewEvent } from '@silta/event-store';
import { EVENT_STORE } from '@silta/platform';
import { knownSchool, schoolDecider, type KnownSchool } from '../domain/school';
import { studentDecider, type StudentState } from '../domain/student';
import { studentRecordsDecider, type StudentRecordsState } from '../domain/student-records';
import type { RequestContext } from './request-context';
import { streams } from './streams';

// A failed attempt means another writer got through, so up to this many concurrent writers to one
// stream (say, an SIS sending a student's records in parallel) all land.
const ATTEMPTS = 5;

/** Roster's event store as the handlers use it: run a command on a stream, and look up current state. */
@Injectable()
export class RosterStore {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * Reads the stream, folds, decides and appends at the revision read. When another request wrote
   * to the stream in between, decides again on the new state (deciders are pure, so this is safe).
   */
  async execute<Command, Event extends { type: string }, State>(
    streamId: string,
    decider: Decider<Command, Event, State>,
    command: Command,
    context: RequestContext,
  ): Promise<readonly Event[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { events } = await handleCommand(this.store, streamId, decider, command, (event) => toNewEvent(event, context));
        return events;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt === ATTEMPTS) throw error;
      }
    }
  }

  /** The school, or undefined if it was never registered. */
  async school(schoolId: string): Promise<KnownSchool | undefined> {
    return knownSchool((await loadState(this.store, streams.school(schoolId), schoolDecider)).state);
  }

  /** The student as their stream tells it. */
  async student(studentId: string): Promise<StudentState> {
    return (await loadState(this.store, streams.student(studentId), studentDecider)).state;
  }

  /** The student's education records. */
  async studentRecords(studentId: string): Promise<StudentRecordsState> {
    return (await loadState(this.store, streams.studentRecords(studentId), studentRecordsDecider)).state;
  }
}

function toNewEvent<Event extends { type: string }>({ type, ...data }: Event, context: RequestContext): NewEvent {
  return { id: randomUUID(), type, data, metadata: { correlationId: context.correlationId, actor: context.actor } };
}
