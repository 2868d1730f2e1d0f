import { EntitySchema } from 'typeorm';

/** Marks an event as applied by a consumer; written in the projection's own transaction. */
export interface ProcessedEventRow {
  consumer: string;
  eventId: string;
  processedAt: Date;
  /** The consumer span that applied it, when the message carried a trace (W3C traceparent). */
  traceparent?: string | null;
}

export const ProcessedEventEntity = new EntitySchema<ProcessedEventRow>({
  name: 'SiltaProcessedEvent',
  tableName: 'silta_processed_events',
  columns: {
    consumer: { type: String, primary: true, length: 200 },
    eventId: { name: 'event_id', type: String, primary: true, length: 200 },
    processedAt: { name: 'processed_at', type: Date },
    traceparent: { type: String, length: 55, nullable: true },
  },
});
