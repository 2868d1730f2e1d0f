import { Inject, Injectable } from '@nestjs/common';
import { encodePositionToken } from '@silta/contracts';
import { loadState, type EventStore } from '@silta/event-store';
import { EVENT_STORE } from '@silta/platform';
import { assertPublishable } from '../relay/publishable';
import { capacityDecider, capacityStreamId, type AssessCapacity, type CapacityEvent, type StudentCapacity } from '../domain';
import { fromRecordedCapacity, toNewCapacityEvent } from './capacity-stream';

/** An assessment the domain accepted, once stored. */
export interface AcceptedAssessment {
  readonly assessed: CapacityEvent;
  /** Names the appended event, for callers that need to read their own write elsewhere. */
  readonly positionToken: string;
}

/**
 * The command and read path of a student's capacity stream `capacity-<studentId>`. The stream is
 * short (one event per assessment) and read whole, so reads need no table and see every write at
 * once. A concurrent writer makes the append fail with WrongExpectedVersionError (409 at the edge).
 */
@Injectable()
export class CapacityLog {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The latest assessment per field; none for a student nobody has assessed. */
  async read(studentId: string): Promise<StudentCapacity> {
    return (await this.load(studentId)).state;
  }

  async execute(command: AssessCapacity): Promise<AcceptedAssessment> {
    const streamId = capacityStreamId(command.studentId);
    const { state, revision } = await this.load(command.studentId);
    const events = capacityDecider.decide(command, state);
    const stored = events.map(toNewCapacityEvent);
    assertPublishable(streamId, stored);
    await this.store.appendToStream(streamId, stored, revision ?? 'no_stream');
    return { assessed: events[events.length - 1]!, positionToken: encodePositionToken({ service: 'consent', eventId: stored[stored.length - 1]!.id }) };
  }

  private load(studentId: string) {
    return loadState(this.store, capacityStreamId(studentId), capacityDecider, fromRecordedCapacity);
  }
}
