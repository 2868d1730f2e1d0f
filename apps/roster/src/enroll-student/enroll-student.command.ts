import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { RequestContext } from '../shared/request-context';
import { Id, IsoDate, Text } from '../shared/schemas';

/** Body of `POST /v1/students`. */
export const EnrollStudentBody = z.strictObject({ studentId: Id, schoolId: Id, name: Text, birthDate: IsoDate, group: Text });
export type EnrollStudentBody = z.infer<typeof EnrollStudentBody>;

/** Enroll a student at a school of the caller's municipality. */
export class EnrollStudentCommand extends Command<{ studentId: string }> {
  constructor(
    readonly body: EnrollStudentBody,
    readonly municipalityId: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}
