import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Kafka, KafkaMessage } from 'kafkajs';

/** Brokers for integration tests: set by the jest global setup (KAFKA_BROKERS). */
export function testBrokers(): string {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run the integration tests through jest (global setup)');
  return brokers;
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

  async start(): Promise<this> {
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
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
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
