import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { createKafka, silentLogger, type KafkaSecurity } from '@silta/messaging';

/** Brokers for integration tests: set by the jest global setup (KAFKA_BROKERS). */
export function testBrokers(): string {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run the integration tests through jest (global setup)');
  return brokers;
}

/**
 * The broker's principals: one per service, which the ACLs allow exactly its own topics and
 * groups, and `admin`, a super user for tooling and for tests that read topics, forge messages or
 * make up topics of their own.
 */
export type KafkaPrincipal = 'admin' | 'roster' | 'consent' | 'disclosure' | 'receipts';

/** The broker CA's PEM file and the directory of `<principal>.password` files: set by the jest global setup. */
function testCredentials(): { caFile: string; credentialsDir: string } {
  const caFile = process.env.KAFKA_SSL_CA_FILE;
  const credentialsDir = process.env.KAFKA_CREDENTIALS_DIR;
  if (!caFile || !credentialsDir) {
    throw new Error('KAFKA_SSL_CA_FILE and KAFKA_CREDENTIALS_DIR are not set: run the tests through jest (global setup), or set them with KAFKA_BROKERS');
  }
  return { caFile, credentialsDir };
}

/** Where a principal's password lies (one line, written by deploy/kafka/kafka.sh). */
export function testPasswordFile(principal: KafkaPrincipal): string {
  return join(testCredentials().credentialsDir, `${principal}.password`);
}

/**
 * A principal's SCRAM credentials and the broker's CA, as createKafka takes them. A fresh object on
 * every call: kafkajs mutates the `sasl` object it is given, and a client built from another's
 * could log in as the first user (TRAPS.md).
 */
export function testKafkaSecurity(principal: KafkaPrincipal = 'admin'): KafkaSecurity {
  const { caFile } = testCredentials();
  const password = readFileSync(testPasswordFile(principal), 'utf8').trim();
  if (!password) throw new Error(`${testPasswordFile(principal)} is empty`);
  return { mechanism: 'scram-sha-512', username: principal, password, caPem: readFileSync(caFile, 'utf8') };
}

/** A kafkajs client on the test broker as `principal` (default `admin`), logging nothing. */
export function testKafka(clientId: string, principal: KafkaPrincipal = 'admin', brokers = testBrokers()): Kafka {
  return createKafka({ brokers, clientId, logger: silentLogger, security: testKafkaSecurity(principal) });
}

/**
 * The environment that makes a process (an app, a test worker) connect to the test broker as
 * `service`: its own principal, its password by file and the broker's CA. Not the credentials
 * directory: a process gets only its own password.
 */
export function serviceKafkaEnv(service: KafkaPrincipal): {
  KAFKA_BROKERS: string;
  KAFKA_USERNAME: string;
  KAFKA_PASSWORD_FILE: string;
  KAFKA_SSL_CA_FILE: string;
} {
  return { KAFKA_BROKERS: testBrokers(), KAFKA_USERNAME: service, KAFKA_PASSWORD_FILE: testPasswordFile(service), KAFKA_SSL_CA_FILE: testCredentials().caFile };
}

/**
 * The Kafka credentials a process was given in its environment, the way the apps read them
 * (libs/platform loadConfig): KAFKA_USERNAME, KAFKA_PASSWORD or KAFKA_PASSWORD_FILE,
 * KAFKA_SSL_CA_FILE and KAFKA_SASL_MECHANISM. For test workers and benchmark processes.
 */
export function kafkaSecurityFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaSecurity {
  const required = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  const passwordFile = env.KAFKA_PASSWORD_FILE;
  const password = passwordFile ? readFileSync(passwordFile, 'utf8').trim() : required('KAFKA_PASSWORD');
  const mechanism = env.KAFKA_SASL_MECHANISM ?? 'scram-sha-512';
  if (mechanism !== 'scram-sha-512' && mechanism !== 'scram-sha-256') throw new Error(`KAFKA_SASL_MECHANISM: ${mechanism} is not a SCRAM mechanism`);
  return { mechanism, username: required('KAFKA_USERNAME'), password, caPem: env.KAFKA_SSL_CA_FILE ? readFileSync(env.KAFKA_SSL_CA_FILE, 'utf8') : undefined };
}

/**
 * Reads a topic from the beginning with a throwaway group until `enough(messages)` holds
 * (a number means: at least that many messages).
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  enough: number | ((messages: KafkaMessage[]) => boolean),
  timeoutMs = 30_000,
): Promise<KafkaMessage[]> {
  const isEnough = typeof enough === 'number' ? (m: KafkaMessage[]) => m.length >= enough : enough;
  const consumer = kafka.consumer({ groupId: `reader-${topic}-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        messages.push(message);
        if (isEnough(messages)) done();
      },
    });
    await waitFor(finished, timeoutMs, () => `read only ${messages.length} messages from ${topic}`);
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

/** Polls `check` until it returns true, failing with `describe()` after the timeout. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitFor(promise: Promise<void>, timeoutMs: number, describe: () => string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${describe()}`)), timeoutMs);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A TCP proxy the test controls, e.g. in front of the broker's bootstrap address:
 * cut() drops every connection and refuses new ones until restore().
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private open = true;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** A proxy in front of `host:port`. */
  static to(hostPort: string): TcpProxy {
    const [host, port] = hostPort.split(',')[0]!.trim().split(':');
    return new TcpProxy(host!, Number(port));
  }

  /** Listens on `host:port` (default: a free port on loopback), e.g. on the host side of a namespace's link. */
  async start({ host = '127.0.0.1', port = 0 }: { host?: string; port?: number } = {}): Promise<this> {
    const server = createServer((client) => {
      if (!this.open) return client.destroy();
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  cut(): void {
    this.open = false;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.open = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
