import { Inject, Injectable } from '@nestjs/common';
import { ContractRegistry, encodePositionToken, rosterContracts } from '@silta/contracts';
import { encodeEvent, handleCommand, type Decider, type EventMetadataInput, type EventStore, type NewEvent } from '@silta/event-store';
import { EVENT_STORE, ZodPipe } from '@silta/platform';
import { knownSchool, schoolDecider, type KnownSchool, type SchoolState } from '../domain/school';
import { studentDecider, type StudentState } from '../domain/student';
import { studentRecordsDecider, type StudentRecordsState } from '../domain/student-records';
import { publicMessageOf, type RosterEvent } from '../relay/public-events';
import { FoldedStateCache } from './folded-state-cache';
import { streams } from './streams';

/** What a command appended to its stream. */
export interface Appended<Event> {
  readonly events: readonly Event[];
  /** Ids of the stored events, in order; each becomes the `silta-event-id` of its message on silta.roster.v1. */
  readonly eventIds: readonly string[];
  /** Names the last appended event (DESIGN.md §5, consistentWith); undefined when nothing was appended. */
  readonly positionToken: string | undefined;
}

/**
 * Events folded into the states roster keeps between look-ups: a student's stream holds a handful,
 * a records stream up to thousands, so this bounds the cache to a few MB of a 120 MB RSS budget.
 */
const FOLDED_EVENTS_KEPT = 20_000;

/** Roster's event store as the handlers use it: run a command on a stream, and look up current state. */
@Injectable()
export class RosterStore {
  /** Look-ups read only what was appended since the last one (see FoldedStateCache). */
  private readonly folded = new FoldedStateCache(FOLDED_EVENTS_KEPT);

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * Runs the command through the shared command path: when another request wrote to the stream in
   * between (say, an SIS sending a student's records in parallel), it decides again on the new state.
   */
  async execute<Command, Event extends { type: string }, State>(
    streamId: string,
    decider: Decider<Command, Event, State>,
    command: Command,
    metadata: EventMetadataInput,
  ): Promise<Appended<Event>> {
    const { events, eventIds } = await handleCommand(this.store, streamId, decider, command, {
      codec: { encode: toNewEvent },
      metadata,
    });
    const last = eventIds.at(-1);
    return { events, eventIds, positionToken: last === undefined ? undefined : encodePositionToken({ service: 'roster', eventId: last }) };
  }

  /** The school, or undefined if it was never registered. */
  async school(schoolId: string): Promise<KnownSchool | undefined> {
    return knownSchool(await this.folded.load(this.store, streams.school(schoolId), schoolDecider));
  }

  /** The school as its stream tells it, name included (lists show it). */
  async schoolState(schoolId: string): Promise<SchoolState> {
    return this.folded.load(this.store, streams.school(schoolId), schoolDecider);
  }

  /** The student as their stream tells it. */
  async student(studentId: string): Promise<StudentState> {
    return this.folded.load(this.store, streams.student(studentId), studentDecider);
  }

  /** The student's education records. */
  async studentRecords(studentId: string): Promise<StudentRecordsState> {
    return this.folded.load(this.store, streams.studentRecords(studentId), studentRecordsDecider);
  }
}

/**
 * The position token of a command whose decider always appends (or refuses): its absence is a
 * bug, not something to answer without.
 */
export function positionTokenOf(appended: Appended<unknown>, streamId: string): string {
  if (appended.positionToken === undefined) throw new Error(`stream ${streamId}: the command appended no event to name`);
  return appended.positionToken;
}

const contracts = new ContractRegistry(rosterContracts);

/**
 * Refuses (400, naming the field) an event whose public message its contract would refuse, before
 * anything is appended: otherwise the relay would publish what consumers dead-letter, and an
 * event that narrows access would be lost to them (issue 10, item 7).
 */
export function assertPublishable(event: { type: string }): void {
  const message = publicMessageOf(event as RosterEvent);
  if (!message) return;
  const contract = contracts.find(message.type, message.schemaVersion);
  if (!contract) throw new Error(`no contract for ${message.type}/v${message.schemaVersion}`);
  new ZodPipe(contract.schema).transform(message.payload);
}

/** A new event as stored, once its public message is known to pass its contract. */
function toNewEvent<Event extends { type: string }>(event: Event, metadata?: EventMetadataInput): NewEvent {
  assertPublishable(event);
  return encodeEvent(event, metadata);
}
