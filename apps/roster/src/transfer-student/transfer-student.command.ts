import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { RequestContext } from '../shared/request-context';
import { Id } from '../shared/schemas';

/** Body of `POST /v1/students/{studentId}/transfer`. */
export const TransferStudentBody = z.strictObject({ schoolId: Id });
export type TransferStudentBody = z.infer<typeof TransferStudentBody>;

/** Move a student to another school of the same municipality. */
export class TransferStudentCommand extends Command<{ studentId: string; schoolId: string }> {
  constructor(
    readonly studentId: string,
    readonly body: TransferStudentBody,
    readonly municipalityId: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}
