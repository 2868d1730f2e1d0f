import { Inject, Injectable } from '@nestjs/common';
import { encodePositionToken } from '@silta/contracts';
import { loadState, type EventStore } from '@silta/event-store';
import { EVENT_STORE } from '@silta/platform';
import { assertPublishable } from '../relay/publishable';
import { confidentialityDecider, confidentialityStreamId, type ConfidentialityCommand, type GuardianVisibility } from '../domain';
import { fromRecordedConfidentiality, toNewConfidentialityEvent } from './confidentiality-stream';

/** A declaration the domain accepted, once its events are stored. */
export interface AcceptedDeclaration {
  readonly visibility: GuardianVisibility;
  /** Names the appended event, for callers that need to read their own write elsewhere. */
  readonly positionToken: string;
}

/**
 * The command and read path of a student's confidentiality stream `confidentiality-<studentId>`.
 * The stream is short (one event per declaration or assessment) and read whole, so reads need no table and see
 * every write at once. A concurrent writer makes the append fail with WrongExpectedVersionError
 * (409 at the edge).
 */
@Injectable()
export class ConfidentialityLog {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** What guardians may not see about the student now. */
  async read(studentId: string): Promise<GuardianVisibility> {
    return (await this.load(studentId)).state;
  }

  async execute(command: ConfidentialityCommand): Promise<AcceptedDeclaration> {
    const streamId = confidentialityStreamId(command.studentId);
    const { state, revision } = await this.load(command.studentId);
    const events = confidentialityDecider.decide(command, state);
    const stored = events.map(toNewConfidentialityEvent);
    assertPublishable(streamId, stored);
    await this.store.appendToStream(streamId, stored, revision ?? 'no_stream');
    const visibility = events.reduce(confidentialityDecider.evolve, state);
    return { visibility, positionToken: encodePositionToken({ service: 'consent', eventId: stored[stored.length - 1]!.id }) };
  }

  private load(studentId: string) {
    return loadState(this.store, confidentialityStreamId(studentId), confidentialityDecider, fromRecordedConfidentiality);
  }
}
