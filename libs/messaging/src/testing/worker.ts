/**
 * A relay or a consumer as its own process, so integration tests can kill it (SIGKILL) or stop it
 * (SIGTERM) like an operator or a crash would. Configured through the environment.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { SqlEventStore } from '@silta/event-store/sql';
import { ProcessedEventEntity, ProjectionConsumer } from '../consumer';
import { kafkaSecurityFromEnv } from '@silta/testing';
import { consoleLogger, createKafka, stopOnSignals } from '..';
import { EventRelay, RelayStateEntity } from '../relay';
import { applyLedgerEntry, createLedgerTable, ledgerContracts, translateLedger } from './ledger';

async function main(): Promise<void> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  const mode = env('WORKER_MODE');
  const logger = consoleLogger(`${mode}-${process.pid}`);
  // As the apps do: the principal, its password (file) and the broker's CA from the environment.
  const kafka = createKafka({ brokers: env('KAFKA_BROKERS'), clientId: `silta-test-${mode}`, logger, security: kafkaSecurityFromEnv() });
  const dataSource = new DataSource({
    type: 'postgres',
    url: env('DATABASE_URL'),
    entities: [RelayStateEntity, ProcessedEventEntity],
    synchronize: true,
  });
  await dataSource.initialize();

  if (mode === 'relay') {
    const store = await SqlEventStore.connect({ type: 'postgres', url: env('DATABASE_URL') }, { pollIntervalMs: 20 });
    const relay = new EventRelay({
      name: env('RELAY_NAME'),
      topic: env('TOPIC'),
      store,
      stateDataSource: dataSource,
      kafka,
      translate: translateLedger,
      logger,
      leaseMs: Number(process.env.LEASE_MS ?? 2_000),
      maxBatchSize: Number(process.env.MAX_BATCH ?? 500),
    });
    relay.start();
    stopOnSignals([relay, { stop: () => store.close() }, { stop: () => dataSource.destroy() }], logger);
  } else {
    await createLedgerTable(dataSource);
    const consumer = new ProjectionConsumer({
      groupId: env('GROUP_ID'),
      topics: [env('TOPIC')],
      kafka,
      dataSource,
      contracts: ledgerContracts,
      handle: applyLedgerEntry,
      logger,
      commitEvery: 10,
    });
    await consumer.start();
    stopOnSignals([consumer, { stop: () => dataSource.destroy() }], logger);
  }
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
