import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type CounterConfiguration, type GaugeConfiguration, type HistogramConfiguration } from 'prom-client';
import { Logger } from '@nestjs/common';

/**
 * One app's Prometheus metrics (prom-client, the Node client Prometheus lists): a registry of its
 * own, so that several apps in one process (the int tests) never share a series, with the label
 * `service` on every series and prom-client's default process metrics.
 *
 * Labels never hold personal data: no student, guardian, professional or school id, no name, no
 * text a user wrote. They hold route templates, outcomes, reason codes, consumer groups, topics,
 * partitions and log origins. Every metric is named in README's Operate section.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly logger = new Logger('metrics');
  /** Every request's duration, by route template (never the URL: it holds ids), method and status. */
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly collectErrors: Counter<'metric'>;

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.collectErrors = this.counter({
      name: 'silta_metrics_collect_errors_total',
      help: 'Scrapes in which a metric could not be read (its part was unreachable or too slow)',
      labelNames: ['metric'],
    });
    this.httpDuration = this.histogram({
      name: 'silta_http_request_duration_seconds',
      help: 'HTTP requests by route template, method and status, and how long they took',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }

  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return new Counter({ ...config, registers: [this.registry] });
  }

  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return new Histogram({ ...config, registers: [this.registry] });
  }

  /**
   * A gauge, optionally read when Prometheus scrapes (`read` sets its values). A read that fails
   * (a database or broker down) leaves the gauge without values for that scrape (NaN for a gauge
   * without labels, which prom-client always writes: never a false 0) and is counted in
   * silta_metrics_collect_errors_total: a scrape never fails because one part is down.
   */
  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers' | 'collect'>, read?: (gauge: Gauge<L>) => Promise<void> | void): Gauge<L> {
    const guarded = this.guardedRead.bind(this);
    return new Gauge<L>({
      ...config,
      registers: [this.registry],
      ...(read && {
        collect(this: Gauge<L>) {
          const unlabelled = !config.labelNames?.length;
          return guarded(this, config.name, async () => read(this), unlabelled ? () => (this as Gauge).set(Number.NaN) : undefined);
        },
      }),
    });
  }

  /**
   * A counter whose value something else already keeps (a consumer's applied messages): `read`
   * answers the totals per label set when Prometheus scrapes. Failures as for gauge().
   */
  counterOf<L extends string>(config: Omit<CounterConfiguration<L>, 'registers' | 'collect'>, read: () => Promise<Array<[Partial<Record<L, string>>, number]>>): Counter<L> {
    const guarded = this.guardedRead.bind(this);
    return new Counter<L>({
      ...config,
      registers: [this.registry],
      collect(this: Counter<L>) {
        return guarded(this, config.name, async () => {
          for (const [labels, value] of await read()) this.inc(labels, value);
        });
      },
    });
  }

  /** Resets `metric` and fills it with `read`, within COLLECT_TIMEOUT_MS; on failure leaves it empty and counts the failure. */
  private async guardedRead(metric: { reset(): void }, name: string, read: () => Promise<void>, onFailure?: () => void): Promise<void> {
    metric.reset();
    try {
      await withTimeout(read(), COLLECT_TIMEOUT_MS);
    } catch (error) {
      metric.reset();
      onFailure?.();
      this.collectErrors.inc({ metric: name });
      this.logger.warn(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The metric registered under `name`, created once: several parts of an app share it (every consumer records into one histogram). */
  shared<T>(name: string, create: () => T): T {
    if (!this.sharedMetrics.has(name)) this.sharedMetrics.set(name, create());
    return this.sharedMetrics.get(name) as T;
  }

  private readonly sharedMetrics = new Map<string, unknown>();

  /** The metrics in Prometheus's text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

}

/** How long one gauge may take to read during a scrape (Prometheus's default scrape timeout is 10 s). */
const COLLECT_TIMEOUT_MS = 3_000;

/** `work`, or a rejection naming `ms` when it takes longer (a scrape's read, a readiness probe). */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Seconds since `started` (a process.hrtime.bigint() reading). */
export function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The consumers' shared apply-latency histogram (consumerProvider records into it). */
export function consumerApplyDuration(metrics: ServiceMetrics) {
  return metrics.shared('silta_consumer_apply_duration_seconds', () =>
    metrics.histogram({
      name: 'silta_consumer_apply_duration_seconds',
      help: 'How long applying one message took (contract check, handler, transaction), per consumer group',
      labelNames: ['group'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
  );
}
