import { randomUUID } from 'node:crypto';
import {
  IdempotencyConflictError,
  WrongExpectedVersionError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '../port';

export interface ContractSetup {
  readonly store: EventStore;
  readonly teardown: () => Promise<void>;
}

/**
 * The one behavioural contract every event store adapter must pass. Stream names carry a
 * random prefix, so the suite also runs against a shared server that holds other data.
 * With `skipped` (the reason), jest reports every test of the suite as skipped instead of running it.
 */
export function runEventStoreContract(
  adapterName: string,
  setup: () => Promise<ContractSetup>,
  options: { readonly skipped?: string } = {},
): void {
  const suite = options.skipped ? describe.skip : describe;
  const title = options.skipped ? `event store contract: ${adapterName} (skipped: ${options.skipped})` : `event store contract: ${adapterName}`;
  suite(title, () => {
    let store: EventStore;
    let teardown: () => Promise<void>;
    const run = randomUUID().slice(0, 8);
    let streamCounter = 0;
    const newStream = (name = 'stream') => `contract-${run}-${name}-${++streamCounter}`;
    const ours = (e: RecordedEvent) => e.streamId.startsWith(`contract-${run}-`);

    beforeAll(async () => {
      ({ store, teardown } = await setup());
    });
    afterAll(async () => {
      await teardown();
    });

    describe('appending', () => {
      it('numbers a new stream from revision 0 and returns the last revision and position', async () => {
        const stream = newStream();
        const result = await store.appendToStream(stream, [event('A'), event('B'), event('C')], 'no_stream');
        expect(result.nextExpectedRevision).toBe(2n);
        const read = await store.readStream(stream);
        expect(read.map((e) => [e.type, e.revision])).toEqual([
          ['A', 0n],
          ['B', 1n],
          ['C', 2n],
        ]);
        expect(read[2]!.position).toBe(result.position);
      });

      it('keeps payloads, metadata and ids exactly, with schema version 1 by default', async () => {
        const stream = newStream();
        const data = { name: 'Äiti Ääkkönen', nested: { list: [1, 'two', null, true] }, emoji: '🌉' };
        const e1 = event('Shaped', data, { correlationId: 'corr-1', causationId: 'cause-1' });
        const e2 = event('Versioned', { v: 2 }, { schemaVersion: 2 });
        await store.appendToStream(stream, [e1, e2], 'no_stream');
        const [r1, r2] = await store.readStream(stream);
        expect(r1).toMatchObject({ id: e1.id, streamId: stream, type: 'Shaped', data });
        expect(r1!.metadata).toMatchObject({ correlationId: 'corr-1', causationId: 'cause-1', schemaVersion: 1 });
        expect(r2!.metadata.schemaVersion).toBe(2);
        expect(r1!.recordedAt).toBeInstanceOf(Date);
        expect(Math.abs(r1!.recordedAt.getTime() - Date.now())).toBeLessThan(60_000);
      });

      it('rejects no_stream when the stream exists, naming the actual revision', async () => {
        const stream = newStream();
        await store.appendToStream(stream, [event('A'), event('B')], 'no_stream');
        const error = await store.appendToStream(stream, [event('C')], 'no_stream').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamId: stream, expected: 'no_stream', actual: 1n });
      });

      it('appends at the exact expected revision and rejects a stale one without writing', async () => {
        const stream = newStream();
        await store.appendToStream(stream, [event('A')], 'no_stream');
        await store.appendToStream(stream, [event('B')], 0n);
        const stale = await store.appendToStream(stream, [event('C'), event('D')], 0n).catch((e: unknown) => e);
        expect(stale).toBeInstanceOf(WrongExpectedVersionError);
        expect(stale).toMatchObject({ expected: 0n, actual: 1n });
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B']);
      });

      it('rejects an exact revision on a stream that does not exist', async () => {
        const error = await store.appendToStream(newStream(), [event('A')], 0n).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ actual: 'no_stream' });
      });

      it('appends with any whatever the stream holds', async () => {
        const stream = newStream();
        await store.appendToStream(stream, [event('A')], 'any');
        await store.appendToStream(stream, [event('B')], 'any');
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0n, 1n]);
      });
    });

    describe('idempotent retries', () => {
      it('writes a retried append once and answers it with the first result', async () => {
        const stream = newStream();
        const events = [event('A'), event('B')];
        const first = await store.appendToStream(stream, events, 'no_stream');
        const retry = await store.appendToStream(stream, events, 'no_stream');
        expect(retry).toEqual({ ...first, repeated: true });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('a repeated append says so, and returns the position of the stored events', async () => {
        const stream = newStream();
        const events = [event('A'), event('B')];
        const first = await store.appendToStream(stream, events, 'any');
        await store.appendToStream(stream, [event('C')], 'any');
        const retry = await store.appendToStream(stream, events, 'any');
        const [, stored] = await store.readStream(stream);
        expect(first.repeated).toBe(false);
        expect(retry).toEqual({ nextExpectedRevision: 1n, position: stored!.position, repeated: true });
      });

      it('recognises a retry at an exact revision even after the stream moved on', async () => {
        const stream = newStream();
        await store.appendToStream(stream, [event('A')], 'no_stream');
        const events = [event('B')];
        const first = await store.appendToStream(stream, events, 0n);
        await store.appendToStream(stream, [event('C')], 1n);
        const retry = await store.appendToStream(stream, events, 0n);
        expect(retry).toEqual({ ...first, repeated: true });
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('refuses an append that reuses only some ids of an earlier one', async () => {
        const stream = newStream();
        const a = event('A');
        await store.appendToStream(stream, [a, event('B')], 'no_stream');
        const error = await store.appendToStream(stream, [a, event('X')], 'any').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(IdempotencyConflictError);
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('reading streams', () => {
      it('reads forwards and backwards, from a revision, with a limit', async () => {
        const stream = newStream();
        await store.appendToStream(stream, ['A', 'B', 'C', 'D', 'E'].map((t) => event(t)), 'no_stream');
        const types = (events: RecordedEvent[]) => events.map((e) => e.type).join('');
        expect(types(await store.readStream(stream))).toBe('ABCDE');
        expect(types(await store.readStream(stream, { direction: 'backwards' }))).toBe('EDCBA');
        expect(types(await store.readStream(stream, { fromRevision: 2n, maxCount: 2 }))).toBe('CD');
        expect(types(await store.readStream(stream, { direction: 'backwards', fromRevision: 2n }))).toBe('CBA');
        expect(types(await store.readStream(stream, { direction: 'backwards', maxCount: 1 }))).toBe('E');
      });

      it('a missing stream reads as empty', async () => {
        const stream = newStream('missing');
        await expect(store.readStream(stream)).resolves.toEqual([]);
        await expect(store.readStream(stream, { direction: 'backwards', maxCount: 1 })).resolves.toEqual([]);
      });
    });

    describe('reading all', () => {
      it('reads the log in position order after a given position', async () => {
        const [s1, s2] = [newStream(), newStream()];
        const first = await store.appendToStream(s1, [event('A')], 'no_stream');
        await store.appendToStream(s2, [event('B'), event('C')], 'no_stream');
        await store.appendToStream(s1, [event('D')], 0n);
        const after = (await store.readAll({ after: first.position })).filter(ours);
        expect(after.map((e) => e.type)).toEqual(['B', 'C', 'D']);
        expectStrictlyIncreasing(after.map((e) => e.position));
        const limited = await store.readAll({ after: first.position, maxCount: 1 });
        expect(limited).toHaveLength(1);
      });
    });

    describe('subscriptions', () => {
      it('catches up from a checkpoint, then delivers live appends', async () => {
        const stream = newStream();
        const checkpoint = await store.appendToStream(stream, [event('before')], 'no_stream');
        await store.appendToStream(stream, [event('caught-up')], 0n);
        const subscription = store.subscribeToAll({ after: checkpoint.position });
        const seen = collect(subscription, ours, 3);
        await store.appendToStream(stream, [event('live-1'), event('live-2')], 1n);
        expect((await seen).map((e) => e.type)).toEqual(['caught-up', 'live-1', 'live-2']);
        await subscription.stop();
      });

      it(
        'gives a live subscriber every event exactly once, in position order, while 8 writers append concurrently',
        async () => {
          const writers = 8;
          const appendsPerWriter = 25;
          const contended = newStream('contended');
          const start = (await store.readAll()).at(-1)?.position;
          const subscription = store.subscribeToAll({ after: start, batchSize: 17 });
          const expectedCount = writers * appendsPerWriter * 2 + writers * 10;
          const seen = collect(subscription, ours, expectedCount);

          const own = Array.from({ length: writers }, (_, w) => newStream(`writer-${w}`));
          await Promise.all(
            own.map(async (stream, w) => {
              for (let i = 0; i < appendsPerWriter; i++) {
                const expected = i === 0 ? 'no_stream' : BigInt(2 * i - 1);
                await store.appendToStream(stream, [event(`w${w}-${i}-a`), event(`w${w}-${i}-b`)], expected);
              }
              // All writers also race on one stream: read, decide, append at the exact revision, retry on conflict.
              for (let i = 0; i < 10; i++) await appendWithRetry(store, contended, event(`w${w}-c${i}`));
            }),
          );

          const received = await seen;
          await subscription.stop();
          expect(received).toHaveLength(expectedCount);
          expect(new Set(received.map((e) => e.id)).size).toBe(expectedCount);
          expectStrictlyIncreasing(received.map((e) => e.position));
          const log = (await store.readAll({ after: start })).filter(ours);
          expect(received.map((e) => e.id)).toEqual(log.map((e) => e.id));
          const perStream = new Map<string, bigint[]>();
          for (const e of received) perStream.set(e.streamId, [...(perStream.get(e.streamId) ?? []), e.revision]);
          for (const revisions of perStream.values()) {
            expect(revisions).toEqual(revisions.map((_, i) => BigInt(i)));
          }
          expect(perStream.get(contended)).toHaveLength(writers * 10);
        },
        120_000,
      );

      it('stops iterating once stopped', async () => {
        const subscription = store.subscribeToAll();
        const iteration = (async () => {
          let count = 0;
          for await (const _ of subscription) count++;
          return count;
        })();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await subscription.stop();
        await expect(iteration).resolves.toEqual(expect.any(Number));
      });
    });
  });
}

function event(type: string, data: unknown = { type }, metadata?: NewEvent['metadata']): NewEvent {
  return { id: randomUUID(), type, data, metadata };
}

async function appendWithRetry(store: EventStore, stream: string, newEvent: NewEvent): Promise<void> {
  for (;;) {
    const last = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    const expected = last.length === 0 ? 'no_stream' : last[0]!.revision;
    try {
      await store.appendToStream(stream, [newEvent], expected);
      return;
    } catch (e) {
      if (!(e instanceof WrongExpectedVersionError)) throw e;
    }
  }
}

/** Iterates until `count` matching events arrived; fails loudly on a duplicate. */
async function collect(
  subscription: AsyncIterable<RecordedEvent>,
  keep: (e: RecordedEvent) => boolean,
  count: number,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const e of subscription) {
    if (!keep(e)) continue;
    events.push(e);
    if (events.length >= count) break;
  }
  return events;
}

function expectStrictlyIncreasing(positions: bigint[]): void {
  for (let i = 1; i < positions.length; i++) {
    if (!(positions[i]! > positions[i - 1]!)) {
      throw new Error(`positions not strictly increasing at ${i}: ${positions[i - 1]} then ${positions[i]}`);
    }
  }
}
