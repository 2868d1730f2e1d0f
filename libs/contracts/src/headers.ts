/** Kafka header names every Silta integration message carries. */
export const MessageHeaders = {
  eventId: 'silta-event-id',
  eventType: 'silta-event-type',
  schemaVersion: 'silta-schema-version',
  correlationId: 'silta-correlation-id',
  causationId: 'silta-causation-id',
  occurredAt: 'silta-occurred-at',
  /** Position of the event in the producing service's log, for tracing a message back. */
  sourcePosition: 'silta-source-position',
  deadLetterError: 'silta-dead-letter-error',
  deadLetterSource: 'silta-dead-letter-source',
} as const;
