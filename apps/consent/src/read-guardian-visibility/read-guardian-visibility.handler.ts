import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ConfidentialityLog } from '../consent-store/confidentiality-log';
import { confidentialityRefusal } from '../domain';
import { declarantOf } from '../http/caller';
import { RosterView } from '../roster-view/roster-view.reader';
import { ReadGuardianVisibilityQuery, type GuardianVisibilityAnswer } from './read-guardian-visibility.query';

/** Reads the student's confidentiality stream for the student themself or a professional assigned to their school. */
@QueryHandler(ReadGuardianVisibilityQuery)
export class ReadGuardianVisibilityHandler implements IQueryHandler<ReadGuardianVisibilityQuery> {
  constructor(
    private readonly log: ConfidentialityLog,
    private readonly rosterView: RosterView,
  ) {}

  async execute({ caller, studentId }: ReadGuardianVisibilityQuery): Promise<GuardianVisibilityAnswer> {
    const actor = declarantOf(caller);
    const refusal = confidentialityRefusal(actor, studentId, await this.rosterView.standingFor(actor, studentId), new Date());
    if (refusal) throw refusal;
    const { hiddenRoles, declaration, assessment } = await this.log.read(studentId);
    return {
      studentId,
      hiddenRoles,
      ...(declaration ? { declaredBy: declaration.declaredBy, changedAt: declaration.at, declaration } : {}),
      ...(assessment ? { assessment } : {}),
    };
  }
}
