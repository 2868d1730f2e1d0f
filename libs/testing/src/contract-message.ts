import { randomUUID } from 'node:crypto';
import type { Message } from 'kafkajs';
import { ContractRegistry, MessageHeaders, type IntegrationEventContract } from '@silta/contracts';

/** A public message and the topic its contract puts it on. */
export interface PublicMessage {
  readonly topic: string;
  readonly message: Message;
}

/**
 * A public message as its producer would publish it, for a spec standing in for that producer:
 * the payload validated against its contract (a spec's typo fails here, not as a dead letter),
 * keyed as the contract keys it, with a fresh event id and the type and schema version headers.
 */
export function contractMessage<Payload>(contract: IntegrationEventContract<string, Payload>, payload: Payload): PublicMessage {
  const valid = new ContractRegistry([contract]).validate(contract.type, contract.schemaVersion, payload);
  if (!valid.ok) throw new Error(valid.error);
  return {
    topic: contract.topic,
    message: {
      key: contract.key(payload),
      value: JSON.stringify(payload),
      headers: { [MessageHeaders.eventId]: randomUUID(), [MessageHeaders.eventType]: contract.type, [MessageHeaders.schemaVersion]: String(contract.schemaVersion) },
    },
  };
}
