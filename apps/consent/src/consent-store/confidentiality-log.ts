import { Inject, Injectable } from '@nestjs/common';
import type { EventMetadataInput, EventStore } from '@silta/event-store';
import { EVENT_STORE } from '@silta/platform';
import {
  confidentialityDecider,
  confidentialityStreamId,
  type ConfidentialityCommand,
  type ConfidentialityEvent,
  type GuardianVisibility,
} from '../domain';
import { confidentialityCodec } from './event-codecs';
import { StreamLog } from './stream-log';

/** A declaration the domain accepted, once its events are stored. */
export interface AcceptedDeclaration {
  readonly visibility: GuardianVisibility;
  /** Names the appended event, for callers that need to read their own write elsewhere. */
  readonly positionToken: string;
}

/**
 * The command and read path of a student's confidentiality stream `confidentiality-<studentId>`.
 * The stream is short (one event per declaration or assessment) and read whole, so reads need no
 * table and see every write at once.
 */
@Injectable()
export class ConfidentialityLog {
  private readonly log: StreamLog<ConfidentialityCommand, ConfidentialityEvent, GuardianVisibility>;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.log = new StreamLog(store, {
      streamOf: confidentialityStreamId,
      decider: confidentialityDecider,
      codec: confidentialityCodec,
    });
  }

  /** What guardians may not see about the student now. */
  read(studentId: string): Promise<GuardianVisibility> {
    return this.log.read(studentId);
  }

  async execute(command: ConfidentialityCommand, metadata: EventMetadataInput): Promise<AcceptedDeclaration> {
    const { state: visibility, positionToken } = await this.log.execute(command.studentId, command, metadata);
    return { visibility, positionToken };
  }
}
