import { Command } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import type { Principal } from '@silta/platform';
import type { BanAssessmentOutcome, ConfidentialRole } from '../domain';
import type { AssessGuardianBanRequest } from './assess-guardian-ban.request';

/** What POST /v1/students/{studentId}/guardian-visibility/assessment answers. */
export interface AssessGuardianBanResult {
  readonly studentId: string;
  readonly outcome: BanAssessmentOutcome;
  /** What guardians may not see once assessed. */
  readonly hiddenRoles: readonly ConfidentialRole[];
  readonly positionToken: string;
}

/** A verified caller assesses the student's ban on telling guardians of curator or psychologist disclosures. */
export class AssessGuardianBanCommand extends Command<AssessGuardianBanResult> {
  constructor(
    readonly caller: Principal,
    readonly studentId: string,
    readonly request: AssessGuardianBanRequest,
    /** What the events this command writes record of the request (eventMetadata's convention). */
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
