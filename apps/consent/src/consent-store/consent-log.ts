import { Inject, Injectable, Logger } from '@nestjs/common';
import { loadState, type EventStore } from '@silta/event-store';
import { EVENT_STORE } from '@silta/platform';
import { consentDecider, consentStreamId, type Consent, type ConsentCommand, type ConsentState } from '../domain';
import { encodePositionToken } from '@silta/contracts';
import { assertPublishable } from '../relay/publishable';
import { fromRecorded, toNewEvent } from './consent-stream';
import { ConsentsTable } from './consents.table';

/** A command the domain accepted, once its events are stored. */
export interface AcceptedChange {
  /** The consent after the new events. */
  readonly consent: Consent;
  /** Names the last appended event, for callers that need to read their own write elsewhere. */
  readonly positionToken: string;
}

/**
 * The command path of a consent stream: read and fold, build the command (its lookups may depend
 * on the state, e.g. the roster of the consent's student), decide, append at the revision read.
 * A concurrent writer makes the append fail with WrongExpectedVersionError (409 at the edge).
 */
@Injectable()
export class ConsentLog {
  private readonly logger = new Logger('consent-log');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly table: ConsentsTable,
  ) {}

  async execute(consentId: string, commandFor: (state: ConsentState) => Promise<ConsentCommand>): Promise<AcceptedChange> {
    const streamId = consentStreamId(consentId);
    const { state, revision } = await loadState(this.store, streamId, consentDecider, fromRecorded);
    const command = await commandFor(state);
    const events = consentDecider.decide(command, state);
    const stored = events.map(toNewEvent);
    assertPublishable(streamId, stored);
    const appended = await this.store.appendToStream(streamId, stored, revision ?? 'no_stream');
    const consent = events.reduce(consentDecider.evolve, state);
    if (consent.status === 'none') throw new Error(`stream ${streamId}: no consent after ${events.length} new events`);
    // The append is the decision; the table is a cache of the log. If refreshing it fails the
    // command still succeeded (a retry would grant another version), so log and answer.
    await this.table.save(consent, appended.nextExpectedRevision).catch((error: unknown) => {
      this.logger.warn(`consents table not refreshed for ${consentId}: ${(error as Error).message}`);
    });
    return { consent, positionToken: encodePositionToken({ service: 'consent', eventId: stored[stored.length - 1]!.id }) };
  }
}
