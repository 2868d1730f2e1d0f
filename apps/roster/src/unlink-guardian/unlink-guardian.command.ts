import { Command } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';

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
    readonly context: RequestContext,
  ) {
    super();
  }
}
