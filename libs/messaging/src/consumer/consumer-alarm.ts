import { EntitySchema, In, IsNull, type EntityManager } from 'typeorm';

/**
 * A dead-lettered message that would have narrowed access (or whose type could not be known, so
 * it might have): an alarm for an operator, open until `resolvedAt` is set. One row per message.
 */
export interface ConsumerAlarmRow {
  consumer: string;
  topic: string;
  partition: number;
  offset: string;
  messageKey: string | null;
  eventType: string | null;
  eventId: string | null;
  reason: string;
  raisedAt: Date;
  resolvedAt: Date | null;
}

export const ConsumerAlarmEntity = new EntitySchema<ConsumerAlarmRow>({
  name: 'SiltaConsumerAlarm',
  tableName: 'silta_consumer_alarms',
  columns: {
    consumer: { type: String, primary: true, length: 200 },
    topic: { type: String, primary: true, length: 255 },
    partition: { type: 'integer', primary: true },
    offset: { type: String, primary: true, length: 30 },
    // Whatever arrived, however long: the alarm must be recorded even for oversized values.
    messageKey: { name: 'message_key', type: 'text', nullable: true },
    eventType: { name: 'event_type', type: 'text', nullable: true },
    eventId: { name: 'event_id', type: 'text', nullable: true },
    reason: { type: 'text' },
    raisedAt: { name: 'raised_at', type: Date },
    resolvedAt: { name: 'resolved_at', type: Date, nullable: true },
  },
});

/**
 * How many alarms of `consumer` are open about any of `keys`, or about a message without a key
 * (which could have concerned anyone): the test a view makes before it answers as if complete.
 */
export function countOpenAlarms(manager: EntityManager, consumer: string, keys: readonly string[]): Promise<number> {
  return manager.countBy(ConsumerAlarmEntity, [
    { consumer, resolvedAt: IsNull(), messageKey: IsNull() },
    { consumer, resolvedAt: IsNull(), messageKey: In([...keys]) },
  ]);
}
