import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CapacityLog } from '../consent-store/capacity-log';
import { ConsentLog } from '../consent-store/consent-log';
import { partyOf } from '../http/caller';
import { RosterStanding } from '../roster-view/roster-standing';
import { RosterView } from '../roster-view/roster-view.reader';
import { GrantConsentCommand, type GrantConsentResult } from './grant-consent.command';

/**
 * Grants a consent in its own stream, checked against the roster view of the student, roster's
 * birth date of them (read before anything is appended: roster down is a 502) and their capacity
 * assessments (one read of the capacity stream per command).
 */
@CommandHandler(GrantConsentCommand)
export class GrantConsentHandler implements ICommandHandler<GrantConsentCommand> {
  constructor(
    private readonly log: ConsentLog,
    private readonly rosterView: RosterView,
    private readonly capacityLog: CapacityLog,
    private readonly rosterStanding: RosterStanding,
  ) {}

  async execute({ caller, request, metadata }: GrantConsentCommand): Promise<GrantConsentResult> {
    const consentId = request.consentId ?? randomUUID();
    await this.rosterView.assertComplete(request.studentId);
    const [roster, capacity] = await Promise.all([
      this.rosterView.snapshot(request.studentId).then((snapshot) => this.rosterStanding.withBirthDate(snapshot)),
      this.capacityLog.read(request.studentId),
    ]);
    const { consent, positionToken } = await this.log.execute(consentId, async () => ({
      type: 'GrantConsent',
      consentId,
      studentId: request.studentId,
      actor: partyOf(caller),
      categories: request.categories,
      recipient: request.recipient,
      purpose: request.purpose,
      ...(request.validFrom ? { validFrom: new Date(request.validFrom) } : {}),
      ...(request.validUntil ? { validUntil: new Date(request.validUntil) } : {}),
      roster,
      capacity,
      now: new Date(),
    }), metadata);
    return { consentId, version: consent.version, positionToken };
  }
}
