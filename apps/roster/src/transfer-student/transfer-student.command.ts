import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { EventMetadataInput } from '@silta/event-store';
import { Id } from '../shared/schemas';

/** Body of `POST /v1/students/{studentId}/transfer`. */
export const TransferStudentBody = z.strictObject({ schoolId: Id });
export type TransferStudentBody = z.infer<typeof TransferStudentBody>;

/** What the transfer answers: the position token names the StudentTransferred event (DESIGN.md §5). */
export interface TransferStudentResult {
  readonly studentId: string;
  readonly schoolId: string;
  readonly positionToken: string;
}

/** Move a student to another school of the same municipality. */
export class TransferStudentCommand extends Command<TransferStudentResult> {
  constructor(
    readonly studentId: string,
    readonly body: TransferStudentBody,
    readonly municipalityId: string,
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
