import { Inject, Injectable, Logger } from '@nestjs/common';
import { commandFrom, type EventMetadataInput, type EventStore } from '@silta/event-store';
import { EVENT_STORE } from '@silta/platform';
import { consentDecider, consentStreamId, type Consent, type ConsentCommand, type ConsentEvent, type ConsentState } from '../domain';
import { consentCodec } from './event-codecs';
import { ConsentsTable } from './consents.table';
import { StreamLog } from './stream-log';

/** A command the domain accepted, once its events are stored. */
export interface AcceptedChange {
  /** The consent after the new events. */
  readonly consent: Consent;
  /** Names the last appended event, for callers that need to read their own write elsewhere. */
  readonly positionToken: string;
}

/**
 * The command path of a consent stream: read and fold, build the command (its lookups may depend
 * on the state, e.g. the roster of the consent's student), decide, append at the revision read,
 * deciding again when a concurrent writer got there first (StreamLog).
 */
@Injectable()
export class ConsentLog {
  private readonly logger = new Logger('consent-log');
  private readonly log: StreamLog<ConsentCommand, ConsentEvent, ConsentState>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    private readonly table: ConsentsTable,
  ) {
    this.log = new StreamLog(store, { streamOf: consentStreamId, decider: consentDecider, codec: consentCodec });
  }

  async execute(consentId: string, commandFor: (state: ConsentState) => Promise<ConsentCommand>, metadata: EventMetadataInput): Promise<AcceptedChange> {
    const { events, state: consent, revision, positionToken } = await this.log.execute(consentId, commandFrom(commandFor), metadata);
    if (consent.status === 'none') throw new Error(`stream ${consentStreamId(consentId)}: no consent after ${events.length} new events`);
    // The append is the decision; the table is a cache of the log. If refreshing it fails the
    // command still succeeded (a retry would grant another version), so log and answer.
    await this.table.save(consent, revision).catch((error: unknown) => {
      this.logger.warn(`consents table not refreshed for ${consentId}: ${(error as Error).message}`);
    });
    return { consent, positionToken };
  }
}
