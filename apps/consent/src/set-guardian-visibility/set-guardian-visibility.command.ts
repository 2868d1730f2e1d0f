import { Command } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import type { Principal } from '@silta/platform';
import type { ConfidentialRole } from '../domain';
import type { SetGuardianVisibilityRequest } from './set-guardian-visibility.request';

/** What PUT /v1/students/{studentId}/guardian-visibility answers. */
export interface SetGuardianVisibilityResult {
  readonly studentId: string;
  readonly hiddenRoles: readonly ConfidentialRole[];
  readonly positionToken: string;
}

/** A verified caller declares which professions' disclosures the student's guardians may not see. */
export class SetGuardianVisibilityCommand extends Command<SetGuardianVisibilityResult> {
  constructor(
    readonly caller: Principal,
    readonly studentId: string,
    readonly request: SetGuardianVisibilityRequest,
    /** What the events this command writes record of the request (eventMetadata's convention). */
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
