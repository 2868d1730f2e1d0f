import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DataSource, EntityManager } from 'typeorm';
import type { Message } from 'kafkajs';
import { ContractRegistry, MessageHeaders, defineContract } from '@silta/contracts';
import type { NewEvent, RecordedEvent } from '@silta/event-store/port';
import type { OutgoingMessage } from '../relay';
import type { IncomingMessage } from '../consumer';

/**
 * A tiny stand-in service for the messaging tests: numbered ledger entries per student, relayed
 * to Kafka and projected into a table that counts how often each event was applied.
 */
export const LedgerEntryRecordedV1 = defineContract({
  type: 'LedgerEntryRecorded',
  schemaVersion: 1,
  topic: 'silta.test.ledger',
  schema: z.strictObject({ studentId: z.string().min(1), seq: z.number().int().nonnegative() }),
  key: (p) => p.studentId,
});

export const ledgerContracts = new ContractRegistry([LedgerEntryRecordedV1]);

export function ledgerEvent(studentId: string, seq: number): NewEvent {
  return { id: randomUUID(), type: 'LedgerEntryRecorded', data: { studentId, seq } };
}

export function translateLedger(event: RecordedEvent): OutgoingMessage | undefined {
  if (event.type !== 'LedgerEntryRecorded') return undefined;
  const payload = event.data as { studentId: string; seq: number };
  return { key: LedgerEntryRecordedV1.key(payload), type: event.type, schemaVersion: 1, payload };
}

export async function createLedgerTable(dataSource: DataSource): Promise<void> {
  await dataSource.query(
    `CREATE TABLE IF NOT EXISTS test_ledger (event_id varchar(64) PRIMARY KEY, student_id varchar(64) NOT NULL, seq integer NOT NULL, applied integer NOT NULL)`,
  );
}

/** Applies an entry; a second application of the same event shows up as applied = 2. */
export async function applyLedgerEntry(message: IncomingMessage, manager: EntityManager): Promise<void> {
  const { studentId, seq } = message.payload as { studentId: string; seq: number };
  await manager.query(
    `INSERT INTO test_ledger (event_id, student_id, seq, applied) VALUES ($1, $2, $3, 1)
     ON CONFLICT (event_id) DO UPDATE SET applied = test_ledger.applied + 1`,
    [message.eventId, studentId, seq],
  );
}

export interface LedgerRow {
  event_id: string;
  student_id: string;
  seq: number;
  applied: number;
}

export async function readLedger(dataSource: DataSource): Promise<LedgerRow[]> {
  return dataSource.query(`SELECT event_id, student_id, seq, applied FROM test_ledger`);
}

/** A well-formed ledger message as the relay would publish it. */
export function ledgerMessage(studentId: string, seq: number, eventId: string = randomUUID()): Message {
  return {
    key: studentId,
    value: JSON.stringify({ studentId, seq }),
    headers: {
      [MessageHeaders.eventId]: eventId,
      [MessageHeaders.eventType]: LedgerEntryRecordedV1.type,
      [MessageHeaders.schemaVersion]: '1',
    },
  };
}
