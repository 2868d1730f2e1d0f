import type { IHeaders, KafkaMessage } from 'kafkajs';
import { MessageHeaders, type ContractRegistry } from '@silta/contracts';

/** A message that passed its contract, as a projection sees it. */
export interface IncomingMessage<Payload = unknown> {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly payload: Payload;
  readonly key: string | undefined;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly occurredAt: string | undefined;
  readonly correlationId: string | undefined;
  readonly causationId: string | undefined;
}

/** Why a message was refused, with what its headers said it was (when they said it). */
export interface ParseFailure {
  readonly ok: false;
  readonly error: string;
  readonly eventId?: string;
  readonly type?: string;
  readonly schemaVersion?: number;
}

export type ParseResult = { readonly ok: true; readonly message: IncomingMessage } | ParseFailure;

/** Reads a Kafka message's headers and JSON body and checks the body against its contract. */
export function parseMessage(topic: string, partition: number, message: KafkaMessage, contracts: ContractRegistry): ParseResult {
  const eventId = header(message.headers, MessageHeaders.eventId);
  const type = header(message.headers, MessageHeaders.eventType);
  const version = header(message.headers, MessageHeaders.schemaVersion);
  if (!type) return { ok: false, eventId, error: `missing header ${MessageHeaders.eventType}` };
  const schemaVersion = Number(version);
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1) {
    return { ok: false, eventId, type, error: `header ${MessageHeaders.schemaVersion} is not a positive integer: ${String(version)}` };
  }
  const refused = (error: string): ParseFailure => ({ ok: false, eventId, type, schemaVersion, error });
  if (!eventId) return refused(`missing header ${MessageHeaders.eventId}`);
  let body: unknown;
  try {
    body = JSON.parse(message.value?.toString('utf8') ?? '');
  } catch {
    // Not the parser's message: it quotes the body, which is logged and stored with the alarm.
    return refused(`body is not JSON (${message.value?.length ?? 0} bytes)`);
  }
  const validated = contracts.validate(type, schemaVersion, body);
  if (!validated.ok) return refused(validated.error);
  return {
    ok: true,
    message: {
      eventId,
      type,
      schemaVersion,
      payload: validated.payload,
      key: message.key?.toString('utf8'),
      topic,
      partition,
      offset: message.offset,
      occurredAt: header(message.headers, MessageHeaders.occurredAt),
      correlationId: header(message.headers, MessageHeaders.correlationId),
      causationId: header(message.headers, MessageHeaders.causationId),
    },
  };
}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
