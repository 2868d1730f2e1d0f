import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ConfidentialityLog } from '../consent-store/confidentiality-log';
import { confidentialityRefusal } from '../domain';
import { declarantOf } from '../http/caller';
import { ReadGuardianVisibilityQuery, type GuardianVisibilityAnswer } from './read-guardian-visibility.query';

/** Reads the student's confidentiality stream for the student themself or a welfare professional. */
@QueryHandler(ReadGuardianVisibilityQuery)
export class ReadGuardianVisibilityHandler implements IQueryHandler<ReadGuardianVisibilityQuery> {
  constructor(private readonly log: ConfidentialityLog) {}

  async execute({ caller, studentId }: ReadGuardianVisibilityQuery): Promise<GuardianVisibilityAnswer> {
    const refusal = confidentialityRefusal(declarantOf(caller), studentId);
    if (refusal) throw refusal;
    const { hiddenRoles, declaration } = await this.log.read(studentId);
    return { studentId, hiddenRoles, ...(declaration ? { declaredBy: declaration.declaredBy, changedAt: declaration.at } : {}) };
  }
}
