import { runEventStoreContract } from '../testing/event-store.contract';
import { EsdbEventStore } from './esdb-event-store';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

// Without a server the suite is reported as skipped (not passed), and the run says why once. Straight
// to stderr: jest drops the buffered console output of a skipped suite when it runs several files.
if (!connectionString) {
  process.stderr.write('EventStoreDB contract suite skipped: EVENTSTORE_CONNECTION_STRING is not set\n');
}

runEventStoreContract(
  'EventStoreDB',
  async () => {
    const store = EsdbEventStore.fromConnectionString(connectionString ?? '');
    return { store, teardown: () => store.close() };
  },
  connectionString ? {} : { skipped: 'EVENTSTORE_CONNECTION_STRING is not set' },
);
