import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import { EventStoreUnavailableError, type GlobalPosition, type RecordedEvent, type Subscription } from '../port';
import { isAfterCheckpoint, isSystemEvent, toRecordedEvent, toStoreError } from './esdb-mapping';

/**
 * The port's subscription over the client's catch-up subscription to `$all`. The server filters
 * out system events by type; this class also drops system streams and anything at or before the
 * checkpoint, and turns stream errors into the port's errors.
 */
export class EsdbSubscription implements Subscription {
  private stopped = false;
  private started = false;
  private failure: unknown;

  constructor(
    private readonly source: AllStreamSubscription,
    private readonly after: GlobalPosition | undefined,
    private readonly onStop: () => void = () => undefined,
  ) {
    // A stream error with no listener would crash the process, e.g. if the connection drops
    // before anyone iterates. The error is not lost: iteration rethrows the stream's error.
    source.on('error', (error) => {
      this.failure ??= error;
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop();
    await this.source.unsubscribe().catch(() => undefined);
    // Ends a pending iteration; the client keeps the stream open after unsubscribing.
    this.source.destroy();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.started) throw new Error('a subscription can be iterated only once');
    this.started = true;
    try {
      for await (const resolved of this.source as AsyncIterable<AllStreamResolvedEvent>) {
        if (this.stopped) return;
        const event = resolved.event;
        if (event === undefined || isSystemEvent(event)) continue;
        const recorded = toRecordedEvent(event);
        if (!isAfterCheckpoint(recorded.position, this.after)) continue;
        yield recorded;
      }
      // A catch-up subscription never ends by itself: the server or the connection gave up.
      if (!this.stopped) throw this.failure ?? new EventStoreUnavailableError('EventStoreDB ended the subscription');
    } catch (error) {
      // Destroying the stream in stop() surfaces as a premature close: that is the normal end.
      if (this.stopped) return;
      throw toStoreError(error);
    } finally {
      // The consumer broke out of its loop, or the stream failed: release the server's subscription.
      await this.stop();
    }
  }
}
