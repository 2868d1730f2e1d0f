import { Inject, Injectable } from '@nestjs/common';
import type { EventMetadataInput, EventStore } from '@silta/event-store';
import { EVENT_STORE } from '@silta/platform';
import { capacityDecider, capacityStreamId, type AssessCapacity, type CapacityEvent, type StudentCapacity } from '../domain';
import { capacityCodec } from './event-codecs';
import { StreamLog } from './stream-log';

/** An assessment the domain accepted, once stored. */
export interface AcceptedAssessment {
  readonly assessed: CapacityEvent;
  /** Names the appended event, for callers that need to read their own write elsewhere. */
  readonly positionToken: string;
}

/**
 * The command and read path of a student's capacity stream `capacity-<studentId>`. The stream is
 * short (one event per assessment) and read whole, so reads need no table and see every write at
 * once.
 */
@Injectable()
export class CapacityLog {
  private readonly log: StreamLog<AssessCapacity, CapacityEvent, StudentCapacity>;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.log = new StreamLog(store, { streamOf: capacityStreamId, decider: capacityDecider, codec: capacityCodec });
  }

  /** The latest assessment per field; none for a student nobody has assessed. */
  read(studentId: string): Promise<StudentCapacity> {
    return this.log.read(studentId);
  }

  async execute(command: AssessCapacity, metadata: EventMetadataInput): Promise<AcceptedAssessment> {
    const { events, positionToken } = await this.log.execute(command.studentId, command, metadata);
    return { assessed: events[events.length - 1]!, positionToken };
  }
}
