import { z } from 'zod';
import { Id } from '../shared/schemas';

/** What ingesting a record answers. */
export const IngestRecordAnswer = z.strictObject({ studentId: Id, recordId: Id }).meta({ id: 'IngestRecordAnswer' });
