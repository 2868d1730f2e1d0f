import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaConfig, type LogEntry, type Message } from 'kafkajs';
import { MessageHeaders, type IntegrationEventContract } from '@silta/contracts';

// Probes of what a Kafka principal may do on the secured broker, as the broker answers them: used by
// the ACL matrix (libs/messaging/src/security/acl.int.spec.ts) and, from inside the welfare area's
// network namespace, by the two-party test (test/e2e/fixtures/kafka-probe.ts).

/** What the broker answered: allowed, or its error type (TOPIC_AUTHORIZATION_FAILED, ...). */
/** > message.max.bytes (1 MiB + 12 by default): a permitted produce of it is refused for its size only, and nothing is written. */
const TOO_LARGE = Buffer.alloc(1_100_000, 'x');

export type Outcome = { readonly ok: true } | { readonly ok: false; readonly type: string; readonly message: string };

export interface ProbeClient {
  readonly kafka: Kafka;
  /** kafkajs's own log, DEBUG included: it alone carries the broker's error behind "Failed to find group coordinator". */
  readonly logs: LogEntry[];
}

export interface ProbeSettings {
  readonly brokers: string;
  readonly caPem: string;
  /** No principal: a client that does not log in. */
  readonly principal?: string;
  readonly password?: string;
  /** false: plaintext to the TLS port. */
  readonly tls?: boolean;
}

/** A kafkajs client as a service builds it (TLS with the broker's CA, SCRAM-SHA-512), with a fresh sasl object every time. */
export function probeClient({ brokers, caPem, principal, password, tls }: ProbeSettings): ProbeClient {
  const logs: LogEntry[] = [];
  const config: KafkaConfig = {
    clientId: `acl-test-${principal ?? 'anonymous'}`,
    brokers: brokers.split(','),
    ssl: tls === false ? false : { ca: [caPem] },
    // A fresh object per client: kafkajs mutates the one it is given (TRAPS.md), which could log a client in as another principal.
    ...(principal ? { sasl: { mechanism: 'scram-sha-512' as const, username: principal, password: password ?? '' } } : {}),
    connectionTimeout: 10_000,
    retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
    logLevel: logLevel.DEBUG,
    logCreator: () => (entry) => void logs.push(entry),
  };
  return { kafka: new Kafka(config), logs };
}

/** The broker's error type: kafkajs's protocol error type, or the one it logged before reporting "Failed to find group coordinator". */
export function outcomeOf(error: unknown, logs: readonly LogEntry[]): Outcome {
  // kafkajs wraps a broker's error (KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded): use the innermost typed one.
  let e = error as Error & { type?: string; cause?: unknown };
  for (let inner = e; inner; inner = inner.cause as typeof e) if (inner.type || !inner.cause) { e = inner; break; }
  let type = e.type ?? e.name;
  if (e.name === 'KafkaJSGroupCoordinatorNotFound') {
    const behind = logs
      .filter((entry) => entry.log.message === 'Tried to find group coordinator')
      .map((entry) => (entry.log as { error?: { type?: string } }).error?.type)
      .find((t) => t !== undefined);
    if (behind) type = behind;
  }
  return { ok: false, type, message: e.message };
}

/** Sends one over-sized record as an idempotent producer (as the relay does): ok when only its size was refused. */
export async function tryProduce({ kafka, logs }: ProbeClient, topic: string): Promise<Outcome> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true, retry: { retries: 1 } });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'acl-test', value: TOO_LARGE }] });
    throw new Error(`an over-sized record was appended to ${topic}`);
  } catch (error) {
    const outcome = outcomeOf(error, logs);
    return !outcome.ok && outcome.type === 'MESSAGE_TOO_LARGE' ? { ok: true } : outcome;
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

/**
 * Subscribes `groupId` to `topic` from the beginning and waits until the group is joined and one
 * fetch has been answered (`until: 'fetched'`), or only until it is joined (`until: 'joined'`).
 */
export async function tryConsume({ kafka, logs }: ProbeClient, groupId: string, topic: string, until: 'joined' | 'fetched'): Promise<Outcome> {
  const consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
    retry: { retries: 1, initialRetryTime: 100, restartOnFailure: async () => false },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const done = new Promise<Outcome>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, () => until === 'joined' && resolve({ ok: true }));
      consumer.on(consumer.events.FETCH, () => resolve({ ok: true }));
      consumer.on(consumer.events.CRASH, ({ payload }) => resolve(outcomeOf(payload.error, logs)));
      timer = setTimeout(() => resolve({ ok: false, type: 'TIMEOUT', message: `no join, fetch or crash within 20 s` }), 20_000);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
    return await done;
  } catch (error) {
    return outcomeOf(error, logs);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}

/** A message that passes its contract, with the headers a relay would give it: what a forger sends. */
export function forgedMessage<P>(contract: IntegrationEventContract<string, P>, payload: P): Message {
  const parsed = contract.schema.safeParse(payload);
  if (!parsed.success) throw new Error(`the forged ${contract.type} does not even pass its contract: ${parsed.error.message}`);
  return {
    key: contract.key(payload),
    value: JSON.stringify(payload),
    headers: { [MessageHeaders.eventId]: randomUUID(), [MessageHeaders.eventType]: contract.type, [MessageHeaders.schemaVersion]: String(contract.schemaVersion) },
  };
}

/** Produces `message` to `topic`: ok when the broker appended it. */
export async function trySend({ kafka, logs }: ProbeClient, topic: string, message: Message): Promise<Outcome> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 1 } });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [message] });
    return { ok: true };
  } catch (error) {
    return outcomeOf(error, logs);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}
