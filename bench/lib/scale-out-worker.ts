/**
 * One disclosure view consumer as its own process, for the scale-out benchmark: the product's
 * ProjectionConsumer with disclosure's ViewProjection, its contracts and its read-model entities,
 * wired as disclosure's consumerProvider wires them (group `disclosure-view` + KAFKA_GROUP_SUFFIX),
 * but on the benchmark's own topics (TOPICS) so a shared broker's real topics are left alone.
 * Prints `ready` once it is warm (code loaded, database open) and starts consuming on SIGUSR2, so
 * the benchmark can start k instances at the same moment; stops on SIGTERM.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ContractRegistry, consentContracts, rosterContracts } from '@silta/contracts';
import { ProcessedEventEntity, ProjectionConsumer, consoleLogger, createKafka, stopOnSignals } from '@silta/messaging';
import { kafkaSecurityFromEnv } from '@silta/testing';
import { VIEW_CONSUMER_GROUP } from '../../apps/disclosure/src/view/view.constants';
import { viewEntities } from '../../apps/disclosure/src/view/view.entities';
import { ViewProjection } from '../../apps/disclosure/src/view/view.projection';

/** The read-model DataSource as disclosure opens it on PostgreSQL (libs/platform readModelOptions). */
export function viewDataSource(url: string): DataSource {
  return new DataSource({ type: 'postgres', url, poolSize: 10, entities: [...viewEntities, ProcessedEventEntity], synchronize: true });
}

async function main(): Promise<void> {
  const env = (name: string) => {
    const value = process.env[name];
    if (value === undefined) throw new Error(`${name} is required`);
    return value;
  };
  const logger = consoleLogger(`view-consumer-${process.pid}`);
  const dataSource = viewDataSource(env('DATABASE_URL'));
  await dataSource.initialize();
  const projection = new ViewProjection();
  const consumer = new ProjectionConsumer({
    groupId: `${VIEW_CONSUMER_GROUP}${env('KAFKA_GROUP_SUFFIX')}`,
    topics: env('TOPICS').split(','),
    // The principal the benchmark gives it (KAFKA_USERNAME, KAFKA_PASSWORD_FILE, KAFKA_SSL_CA_FILE): its topics are the benchmark's own.
    kafka: createKafka({ brokers: env('KAFKA_BROKERS'), clientId: 'silta-disclosure', logger, security: kafkaSecurityFromEnv() }),
    dataSource,
    contracts: new ContractRegistry([...rosterContracts, ...consentContracts]),
    handle: (message, manager) => projection.handle(message, manager),
    logger,
    // Shorter than the default 3 s so the first instance to join notices the others' joins (a
    // rebalance) sooner and consumes less on its own before the measured window starts.
    heartbeatIntervalMs: 500,
  });
  stopOnSignals([consumer, { stop: () => dataSource.destroy() }], logger);
  process.once('SIGUSR2', () => void consumer.start());
  process.stdout.write('ready\n');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`view consumer failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
