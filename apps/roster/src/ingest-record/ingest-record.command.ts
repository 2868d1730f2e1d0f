import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { EventMetadataInput } from '@silta/event-store';
import { SUPPORT_LEVELS, type EducationRecord } from '../domain/student-records';
import { Id, IsoDate, Note, Text } from '../shared/schemas';

const base = { recordId: Id, date: IsoDate };

/**
 * Body of `POST /v1/students/{studentId}/records`: one record, its fields fixed by its category.
 * `identification` and `guardian_contacts` are roster data, not records, so they are refused here.
 */
export const IngestRecordBody = z.discriminatedUnion('category', [
  z.strictObject({ ...base, category: z.literal('absences'), hours: z.number().int().positive().max(24), reason: Note.optional() }),
  z.strictObject({ ...base, category: z.literal('lesson_markings'), subject: Text, marking: Text }),
  z.strictObject({ ...base, category: z.literal('grades'), subject: Text, grade: Text }),
  z.strictObject({ ...base, category: z.literal('detentions'), reason: Note }),
  z.strictObject({ ...base, category: z.literal('learning_progress'), subject: Text, note: Note }),
  z.strictObject({ ...base, category: z.literal('support_needs'), level: z.enum(SUPPORT_LEVELS), note: Note }),
]);
export type IngestRecordBody = z.infer<typeof IngestRecordBody>;

/** Ingest one education record for a student of the caller's municipality. */
export class IngestRecordCommand extends Command<{ studentId: string; recordId: string }> {
  constructor(
    readonly studentId: string,
    /** The validated body; typed as the domain's record, so the schema cannot drift from it. */
    readonly record: EducationRecord,
    readonly municipalityId: string,
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
