import { Command } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';

/** Unlink a guardian from a student. */
export class UnlinkGuardianCommand extends Command<{ studentId: string; guardianId: string }> {
  constructor(
    readonly studentId: string,
    readonly guardianId: string,
    readonly municipalityId: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}
