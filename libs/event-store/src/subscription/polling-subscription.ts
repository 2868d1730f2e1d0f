import type { GlobalPosition, RecordedEvent, Subscription } from '../port';

/** Reads up to `maxCount` events strictly after `after` (or from the start), in position order. */
export type ReadBatch = (after: GlobalPosition | undefined, maxCount: number) => Promise<RecordedEvent[]>;

export interface PollingSubscriptionOptions {
  readonly after?: GlobalPosition;
  readonly batchSize: number;
  /** How long to sleep when caught up before polling again, unless woken earlier. */
  readonly pollIntervalMs: number;
}

/**
 * A catch-up subscription over a log that can be read by position: read a batch after the
 * checkpoint, yield it, repeat; once caught up, wait for a wake-up or the poll interval.
 * Correct only if positions become visible in increasing order, which the SQL adapter guarantees.
 */
export class PollingSubscription implements Subscription {
  private stopped = false;
  private started = false;
  private wake: (() => void) | undefined;
  /** A wake-up came after the current read started: it may have missed the new events, so read again before sleeping. */
  private wokenWhileReading = false;

  constructor(
    private readonly readBatch: ReadBatch,
    private readonly options: PollingSubscriptionOptions,
  ) {}

  /** Ends a pending wait early, or skips the next one if a read is in flight: new events were appended. */
  notify(): void {
    if (this.wake) this.wake();
    else this.wokenWhileReading = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.started) throw new Error('a subscription can be iterated only once');
    this.started = true;
    let checkpoint = this.options.after;
    while (!this.stopped) {
      this.wokenWhileReading = false;
      const batch = await this.readBatch(checkpoint, this.options.batchSize);
      for (const event of batch) {
        if (this.stopped) return;
        yield event;
        checkpoint = event.position;
      }
      if (batch.length < this.options.batchSize) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    if (this.stopped || this.wokenWhileReading) {
      this.wokenWhileReading = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollIntervalMs);
      this.wake = done;
    });
  }
}
