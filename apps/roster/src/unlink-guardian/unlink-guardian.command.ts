import { Command } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';

/** What the unlink answers: the position token names the GuardianUnlinked event (DESIGN.md §5). */
export interface UnlinkGuardianResult {
  readonly studentId: string;
  readonly guardianId: string;
  readonly positionToken: string;
}

/** Unlink a guardian from a student. */
export class UnlinkGuardianCommand extends Command<UnlinkGuardianResult> {
  constructor(
    readonly studentId: string,
    readonly guardianId: string,
    readonly municipalityId: string,
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
