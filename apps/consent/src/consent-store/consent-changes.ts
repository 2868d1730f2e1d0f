import { Injectable } from '@nestjs/common';
import type { EventMetadataInput } from '@silta/event-store';
import type { ConsentCommand, ConsentStatus, Party, RosterSnapshot } from '../domain';
import { RosterView } from '../roster-view/roster-view.reader';
import { ConsentLog } from './consent-log';

/** What withdraw, pause and resume answer. */
export interface ConsentChangeResult {
  readonly consentId: string;
  readonly version: number;
  readonly status: ConsentStatus;
  readonly positionToken: string;
}

/** What every change to an existing consent needs: who, when, and the roster of its student. */
export interface ChangeContext {
  readonly consentId: string;
  readonly actor: Party;
  readonly roster: RosterSnapshot | undefined;
  readonly now: Date;
}

/** Runs withdraw, pause and resume the same way; each use case supplies only its command. */
@Injectable()
export class ConsentChanges {
  constructor(
    private readonly log: ConsentLog,
    private readonly rosterView: RosterView,
  ) {}

  /**
   * `commandFor` also gets the consent's student (known only from its stream; undefined when the
   * consent does not exist), for a use case that needs more of the student than the roster.
   */
  async apply(
    consentId: string,
    actor: Party,
    metadata: EventMetadataInput,
    commandFor: (context: ChangeContext, studentId: string | undefined) => ConsentCommand | Promise<ConsentCommand>,
  ): Promise<ConsentChangeResult> {
    const { consent, positionToken } = await this.log.execute(consentId, async (state) => {
      // The student is known only from the stream; a missing consent needs no roster.
      const studentId = state.status === 'none' ? undefined : state.studentId;
      const roster = studentId === undefined ? undefined : await this.rosterView.snapshot(studentId);
      return commandFor({ consentId, actor, roster, now: new Date() }, studentId);
    }, metadata);
    return { consentId, version: consent.version, status: consent.status, positionToken };
  }
}
