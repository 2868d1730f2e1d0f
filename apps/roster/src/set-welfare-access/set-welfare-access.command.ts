import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { EventMetadataInput } from '@silta/event-store';

/** Body of `PUT /v1/students/{studentId}/welfare-access`. */
export const SetWelfareAccessBody = z.strictObject({ active: z.boolean() });
export type SetWelfareAccessBody = z.infer<typeof SetWelfareAccessBody>;

/** Activate or deactivate welfare access for a student. */
export class SetWelfareAccessCommand extends Command<{ studentId: string; active: boolean }> {
  constructor(
    readonly studentId: string,
    readonly body: SetWelfareAccessBody,
    readonly municipalityId: string,
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
