import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { EventMetadataInput } from '@silta/event-store';
import { Id, Text } from '../shared/schemas';

/** Body of `POST /v1/schools`. */
export const RegisterSchoolBody = z.strictObject({ schoolId: Id, name: Text });
export type RegisterSchoolBody = z.infer<typeof RegisterSchoolBody>;

/** Register a school for the caller's municipality. */
export class RegisterSchoolCommand extends Command<{ schoolId: string }> {
  constructor(
    readonly body: RegisterSchoolBody,
    readonly municipalityId: string,
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
