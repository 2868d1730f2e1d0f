import { Client, type ClientConfig } from 'pg';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { APPEND_CHANNEL } from './sql-dialect';


const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2_000;

/**
 * Wakes this process's subscriptions when an append commits in any process: one dedicated
 * connection LISTENs on the channel the log table's trigger notifies in the appending transaction.
 * A notification is only a wake-up (it carries nothing, and PostgreSQL may drop or merge them);
 * subscriptions still read by position, and still poll, which is the fallback while this
 * connection is down. After losing the connection (a PostgreSQL restart, a terminated backend) it
 * reconnects with back-off, and wakes once on every (re)connect for what was appended meanwhile.
 */
export class PgAppendListener {
  private client: Client | undefined;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  private constructor(
    private readonly config: ClientConfig,
    private readonly onAppend: () => void,
  ) {}

  /** Starts listening in the background; connection failures are retried, never thrown. */
  static start(options: PostgresConnectionOptions, onAppend: () => void): PgAppendListener {
    const listener = new PgAppendListener(clientConfig(options), onAppend);
    void listener.connect();
    return listener;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client(this.config);
    // Both fire when the connection dies; only the first reconnects.
    let lost = false;
    const onLost = (): void => {
      if (lost) return;
      lost = true;
      void client.end().catch(() => undefined);
      if (this.client === client) this.client = undefined;
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', onLost);
    client.on('notification', () => this.onAppend());
    try {
      await client.connect();
      await client.query(`LISTEN ${APPEND_CHANNEL}`);
    } catch {
      onLost();
      return;
    }
    if (this.stopped || lost) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
    this.onAppend();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }
}

/** node-postgres settings for the same server, database and user as TypeORM's options. */
function clientConfig(options: PostgresConnectionOptions): ClientConfig {
  return {
    connectionString: options.url,
    host: options.host,
    port: options.port,
    user: options.username,
    password: typeof options.password === 'string' ? options.password : undefined,
    database: options.database,
    ssl: options.ssl as ClientConfig['ssl'],
    application_name: 'silta-append-listener',
  };
}
