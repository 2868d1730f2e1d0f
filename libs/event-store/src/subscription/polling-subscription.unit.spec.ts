import type { RecordedEvent } from '../port';
import { PollingSubscription } from './polling-subscription';

const event = (position: bigint): RecordedEvent => ({
  id: `e${position}`,
  streamId: 's',
  revision: position - 1n,
  position,
  type: 'T',
  data: {},
  metadata: {},
  recordedAt: new Date(0),
});

describe('PollingSubscription', () => {
  it('reads again at once when woken while a read was in flight (that read may have missed the append)', async () => {
    const appended = [event(1n)];
    let reads = 0;
    const subscription: PollingSubscription = new PollingSubscription(
      async (after) => {
        reads++;
        // The first read's snapshot misses the event; its append commits, and wakes, before that read returns.
        if (reads === 1) {
          subscription.notify();
          return [];
        }
        return appended.filter((e) => after === undefined || e.position > after);
      },
      { batchSize: 10, pollIntervalMs: 10 * 60_000 },
    );
    const next = await subscription[Symbol.asyncIterator]().next();
    expect(next.value).toEqual(event(1n));
    await subscription.stop();
  });
});
