import { Injectable } from '@nestjs/common';
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
  /** The consent's student, known only from its stream; undefined when the consent does not exist. */
  readonly studentId: string | undefined;
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

  async apply(consentId: string, actor: Party, commandFor: (context: ChangeContext) => ConsentCommand | Promise<ConsentCommand>): Promise<ConsentChangeResult> {
    const { consent, positionToken } = await this.log.execute(consentId, async (state) =>
      commandFor({
        consentId,
        studentId: state.status === 'none' ? undefined : state.studentId,
        actor,
        // The student is known only from the stream; a missing consent needs no roster.
        roster: state.status === 'none' ? undefined : await this.rosterView.snapshot(state.studentId),
        now: new Date(),
      }),
    );
    return { consentId, version: consent.version, status: consent.status, positionToken };
  }
}
