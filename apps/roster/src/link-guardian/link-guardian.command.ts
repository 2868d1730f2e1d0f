import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { EventMetadataInput } from '@silta/event-store';
import { Id, Text } from '../shared/schemas';

/** How to reach a guardian: an email, a phone number, or both. */
export const GuardianContact = z
  .strictObject({
    email: z.email().max(254).optional(),
    phone: z
      .string()
      .regex(/^\+?[0-9][0-9 ()-]{4,29}$/, 'a phone number: digits, spaces, ( ) and -, optionally starting with +')
      .optional(),
  })
  .refine((contact) => contact.email !== undefined || contact.phone !== undefined, 'give an email, a phone or both');

/** Body of `POST /v1/students/{studentId}/guardians`. */
export const LinkGuardianBody = z.strictObject({ guardianId: Id, name: Text, contact: GuardianContact });
export type LinkGuardianBody = z.infer<typeof LinkGuardianBody>;

/** Link a guardian to a student. */
export class LinkGuardianCommand extends Command<{ studentId: string; guardianId: string }> {
  constructor(
    readonly studentId: string,
    readonly body: LinkGuardianBody,
    readonly municipalityId: string,
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
