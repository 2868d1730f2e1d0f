import { PassThrough } from 'node:stream';
import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import { EventStoreUnavailableError, type RecordedEvent } from '../port';
import { EsdbSubscription } from './esdb-subscription';

/** Stands in for the client's subscription stream: an object-mode stream with `unsubscribe`. */
function fakeSource() {
  const stream = new PassThrough({ objectMode: true });
  const unsubscribe = jest.fn(async () => undefined);
  return { source: Object.assign(stream, { unsubscribe }) as unknown as AllStreamSubscription, stream, unsubscribe };
}

let nextId = 0;
function resolved(position: bigint, type = 'StudentEnrolled', streamId = 'student-1'): AllStreamResolvedEvent {
  nextId++;
  return {
    event: {
      streamId,
      id: `00000000-0000-4000-8000-${String(nextId).padStart(12, '0')}`,
      isJson: true,
      revision: position,
      type,
      created: new Date(),
      data: {},
      metadata: { schemaVersion: 1 },
      position: { commit: position, prepare: position },
    },
  } as AllStreamResolvedEvent;
}

async function take(subscription: AsyncIterable<RecordedEvent>, count: number): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of subscription) {
    events.push(event);
    if (events.length >= count) break;
  }
  return events;
}

describe('EsdbSubscription', () => {
  it('delivers only events after the checkpoint, skipping system events and unresolved links', async () => {
    const { source, stream } = fakeSource();
    const subscription = new EsdbSubscription(source, 200n);
    stream.write(resolved(200n));
    stream.write(resolved(250n, '$metadata'));
    stream.write({} as AllStreamResolvedEvent);
    stream.write(resolved(260n, 'Noted', '$$student-1'));
    stream.write(resolved(300n));
    stream.write(resolved(400n));
    const events = await take(subscription, 2);
    expect(events.map((e) => e.position)).toEqual([300n, 400n]);
  });

  it('ends the iteration when stopped, and unsubscribes from the server', async () => {
    const { source, stream, unsubscribe } = fakeSource();
    const subscription = new EsdbSubscription(source, undefined);
    const seen: bigint[] = [];
    const iteration = (async () => {
      for await (const event of subscription) seen.push(event.position);
    })();
    stream.write(resolved(10n));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await subscription.stop();
    await expect(iteration).resolves.toBeUndefined();
    expect(seen).toEqual([10n]);
    expect(unsubscribe).toHaveBeenCalledTimes(1);
  });

  it('unsubscribes when the consumer breaks out of its loop', async () => {
    const { source, stream, unsubscribe } = fakeSource();
    const onStop = jest.fn();
    const subscription = new EsdbSubscription(source, undefined, onStop);
    stream.write(resolved(10n));
    await take(subscription, 1);
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(onStop).toHaveBeenCalledTimes(1);
  });

  it('fails with EventStoreUnavailableError if the server ends the subscription', async () => {
    const { source, stream } = fakeSource();
    const subscription = new EsdbSubscription(source, undefined);
    stream.end();
    await expect(take(subscription, 1)).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('survives a stream error before anyone iterates, and reports it on iteration', async () => {
    const { source, stream } = fakeSource();
    const subscription = new EsdbSubscription(source, undefined);
    stream.emit('error', new Error('Failed to discover after 10 attempts.'));
    stream.end();
    await expect(take(subscription, 1)).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});
