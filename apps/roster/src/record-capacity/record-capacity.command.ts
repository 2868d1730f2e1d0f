import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { EventMetadataInput } from '@silta/event-store';

/** Body of `PUT /v1/students/{studentId}/capacity`. */
export const RecordCapacityBody = z.strictObject({ decidesForSelf: z.boolean() });
export type RecordCapacityBody = z.infer<typeof RecordCapacityBody>;

/** Record whether a student decides on consent for themselves. */
export class RecordCapacityCommand extends Command<{ studentId: string; decidesForSelf: boolean }> {
  constructor(
    readonly studentId: string,
    readonly body: RecordCapacityBody,
    readonly municipalityId: string,
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
