import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type Provider } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { ContractRegistry } from '@silta/contracts';
import type { EventStore, RecordedEvent } from '@silta/event-store';
import { EventRelay, ProjectionConsumer, type NarrowingDeadLetterHook, type OutgoingMessage, type ProjectionHandler } from '@silta/messaging';
import { consumerGroupId, type ServiceConfig } from './config';
import { ServiceMetrics, consumerApplyDuration } from './observability/metrics';
import { EVENT_STORE, KAFKA, SERVICE_CONFIG } from './tokens';

/** The app's relays and consumers, found once among its providers (health and metrics report on them). */
@Injectable()
export class MessagingHosts {
  private found: { consumers: ConsumerHost[]; relays: RelayHost[] } | undefined;

  constructor(private readonly discovery: DiscoveryService) {}

  get consumers(): readonly ConsumerHost[] {
    return this.all().consumers;
  }

  get relays(): readonly RelayHost[] {
    return this.all().relays;
  }

  private all(): { consumers: ConsumerHost[]; relays: RelayHost[] } {
    if (!this.found) {
      const instances = this.discovery.getProviders().map((wrapper) => wrapper.instance as unknown);
      this.found = {
        consumers: instances.filter((i): i is ConsumerHost => i instanceof ConsumerHost),
        relays: instances.filter((i): i is RelayHost => i instanceof RelayHost),
      };
    }
    return this.found;
  }
}

/** Runs a relay for the app's lifetime: started in the background after boot, stopped before shutdown. */
export class RelayHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(readonly relay: EventRelay) {}
  onApplicationBootstrap(): void {
    this.relay.start();
  }
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

/**
 * Runs a projection consumer for the app's lifetime. It starts in the background: HTTP never
 * waits for the broker or the group (decisions do not need them); /health/ready tells when it joined.
 */
export class ConsumerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(readonly consumer: ProjectionConsumer) {}
  onApplicationBootstrap(): void {
    void this.consumer.start();
  }
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}

/** A provider that publishes the service's events to its topic. */
export function relayProvider(options: { topic: string; translate: (event: RecordedEvent) => OutgoingMessage | undefined }): Provider {
  return {
    provide: RelayHost,
    inject: [SERVICE_CONFIG, EVENT_STORE, DataSource, KAFKA],
    useFactory: (config: ServiceConfig, store: EventStore, dataSource: DataSource, kafka: Kafka) =>
      new RelayHost(
        new EventRelay({
          name: config.service,
          topic: options.topic,
          store,
          stateDataSource: dataSource,
          kafka,
          translate: options.translate,
          logger: new Logger('relay'),
          retryDelayMs: 500,
        }),
      ),
  };
}

/** A provider that projects topics into the service's read model. */
export function consumerProvider<Hook extends { onNarrowingDeadLetter: NarrowingDeadLetterHook } = never>(options: {
  provide: string | symbol;
  /** The group's base name; KAFKA_GROUP_SUFFIX is appended. */
  groupId: string;
  topics: readonly string[];
  contracts: ContractRegistry;
  /** Resolved from the container, so handlers can use injected services. */
  handler: new (...args: never[]) => { handle: ProjectionHandler };
  /**
   * Resolved from the container (it may be the handler's class): its onNarrowingDeadLetter runs,
   * in the alarm's transaction, when a message that would have narrowed access is dead-lettered,
   * so the service can fail closed for that message's key (student or school).
   */
  onNarrowingDeadLetter?: new (...args: never[]) => Hook;
}): Provider {
  return {
    provide: options.provide,
    inject: [SERVICE_CONFIG, DataSource, KAFKA, ServiceMetrics, options.handler, ...(options.onNarrowingDeadLetter ? [options.onNarrowingDeadLetter] : [])],
    useFactory: (config: ServiceConfig, dataSource: DataSource, kafka: Kafka, metrics: ServiceMetrics, handler: { handle: ProjectionHandler }, hook?: Hook) =>
      new ConsumerHost(
        new ProjectionConsumer({
          groupId: consumerGroupId(config, options.groupId),
          topics: options.topics,
          kafka,
          dataSource,
          contracts: options.contracts,
          handle: (message, manager) => handler.handle(message, manager),
          onNarrowingDeadLetter: hook ? (deadLetter, manager) => hook.onNarrowingDeadLetter(deadLetter, manager) : undefined,
          logger: new Logger(`consumer:${options.topics.join(',')}`),
          onApplied: (seconds) => consumerApplyDuration(metrics).observe({ group: consumerGroupId(config, options.groupId) }, seconds),
        }),
      ),
  };
}

/** Closes the event store and the read-model database after everything else stopped. */
@Injectable()
export class StorageCloser {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
