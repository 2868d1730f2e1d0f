import { runEventStoreContract } from '../testing/event-store.contract';
import { EsdbEventStore } from './esdb-event-store';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  runEventStoreContract('EventStoreDB', async () => {
    const store = EsdbEventStore.fromConnectionString(connectionString);
    return { store, teardown: () => store.close() };
  });
} else {
  describe('event store contract: EventStoreDB', () => {
    it('did not run: EVENTSTORE_CONNECTION_STRING is not set', () => {
      console.warn('EventStoreDB contract suite skipped: EVENTSTORE_CONNECTION_STRING is not set');
      expect(process.env.EVENTSTORE_CONNECTION_STRING).toBeFalsy();
    });
  });
}
