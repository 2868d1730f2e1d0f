import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventStore } from '@silta/event-store';
import { poolUsageOf, SqlEventStore, type PoolUsage } from '@silta/event-store/sql';
import { MessagingHosts } from '../messaging-hosts';
import { ReadinessProbe } from '../readiness-probe';
import { EVENT_STORE } from '../tokens';
import { ServiceMetrics, consumerApplyDuration } from './metrics';

/** How far the relay counts events it has not published yet: a relay further behind reads as this. */
export const RELAY_BEHIND_LIMIT = 1_000;

/**
 * What every app reports besides HTTP: readiness, its relays (published position, events behind,
 * last publish, lease), its consumers (lag per partition, applied and dead-lettered messages, open
 * alarms) and its connection pools. All read when Prometheus scrapes, from the numbers the parts
 * already keep; nothing here is on a request's path.
 */
@Injectable()
export class PlatformMetrics implements OnApplicationBootstrap {
  constructor(
    private readonly metrics: ServiceMetrics,
    private readonly hosts: MessagingHosts,
    private readonly readiness: ReadinessProbe,
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  onApplicationBootstrap(): void {
    const { metrics } = this;
    const relays = () => this.hosts.relays.map((host) => host.relay);
    const consumers = () => this.hosts.consumers.map((host) => host.consumer);

    metrics.gauge({ name: 'silta_ready', help: '1 while the app is ready (GET /health/ready would answer 200), else 0' }, async (gauge) => {
      gauge.set((await this.readiness.report()).ready ? 1 : 0);
    });

    if (relays().length > 0) {
      metrics.counterOf({ name: 'silta_relay_published_total', help: 'Messages this instance has had acknowledged by Kafka', labelNames: ['relay'] }, async () =>
        relays().map((relay) => [{ relay: relay.status.name }, relay.publishedCount]),
      );
      metrics.gauge({ name: 'silta_relay_published_position', help: 'The event-store position published to Kafka so far (the shared checkpoint)', labelNames: ['relay'] }, async (gauge) => {
        for (const relay of relays()) {
          const position = await relay.publishedPosition();
          if (position !== undefined) gauge.set({ relay: relay.status.name }, Number(position));
        }
      });
      metrics.gauge(
        { name: 'silta_relay_events_behind', help: `Events in the store after the published position (counted up to ${RELAY_BEHIND_LIMIT})`, labelNames: ['relay'] },
        async (gauge) => {
          for (const relay of relays()) gauge.set({ relay: relay.status.name }, await relay.eventsBehind(RELAY_BEHIND_LIMIT));
        },
      );
      metrics.gauge({ name: 'silta_relay_last_publish_timestamp_seconds', help: 'When this instance last published a batch (or became the publishing instance), unix seconds', labelNames: ['relay'] }, (gauge) => {
        for (const relay of relays()) {
          const at = relay.lastPublishedAt;
          if (at) gauge.set({ relay: relay.status.name }, at.getTime() / 1000);
        }
      });
      metrics.gauge({ name: 'silta_relay_lease_held', help: '1 on the instance that holds the relay lease and publishes, 0 on the others', labelNames: ['relay'] }, (gauge) => {
        for (const relay of relays()) gauge.set({ relay: relay.status.name }, relay.isActive ? 1 : 0);
      });
    }

    if (consumers().length > 0) {
      metrics.gauge({ name: 'silta_consumer_lag', help: "Messages on each partition not yet committed by the consumer group (the broker's offsets)", labelNames: ['group', 'topic', 'partition'] }, async (gauge) => {
        for (const consumer of consumers()) {
          for (const { topic, partition, lag } of await consumer.lag()) gauge.set({ group: consumer.status.groupId, topic, partition: String(partition) }, lag);
        }
      });
      metrics.counterOf({ name: 'silta_consumer_applied_total', help: 'Messages this instance applied to its read model', labelNames: ['group'] }, async () =>
        consumers().map((consumer) => [{ group: consumer.status.groupId }, consumer.appliedCount]),
      );
      metrics.counterOf({ name: 'silta_consumer_dead_lettered_total', help: 'Messages this instance sent to the dead-letter topic', labelNames: ['group'] }, async () =>
        consumers().map((consumer) => [{ group: consumer.status.groupId }, consumer.deadLetteredCount]),
      );
      metrics.gauge({ name: 'silta_consumer_open_alarms', help: 'Dead letters that would have narrowed access and are not resolved (access fails closed for their key)', labelNames: ['group'] }, async (gauge) => {
        for (const consumer of consumers()) gauge.set({ group: consumer.status.groupId }, (await consumer.openAlarms()).length);
      });
      consumerApplyDuration(metrics);
    }

    metrics.gauge({ name: 'silta_db_pool_connections', help: 'Database connections by pool (event_store, read_model) and state (total, idle, waiting callers)', labelNames: ['pool', 'state'] }, (gauge) => {
      const pools: Array<[string, PoolUsage | undefined]> = [
        ['event_store', this.store instanceof SqlEventStore ? this.store.poolUsage() : undefined],
        ['read_model', poolUsageOf(this.dataSource)],
      ];
      for (const [pool, usage] of pools) {
        if (!usage) continue;
        gauge.set({ pool, state: 'total' }, usage.total);
        gauge.set({ pool, state: 'idle' }, usage.idle);
        gauge.set({ pool, state: 'waiting' }, usage.waiting);
      }
    });
  }
}
