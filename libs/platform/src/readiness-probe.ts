import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventStore } from '@silta/event-store';
import type { ServiceConfig } from './config';
import { MessagingHosts } from './messaging-hosts';
import { DiscoveryService } from '@nestjs/core';
import { withTimeout } from './observability/metrics';
import { ReadinessContributor, readinessOf, type ReadinessReport } from './readiness';
import { EVENT_STORE, SERVICE_CONFIG } from './tokens';

/** How long a database may take to answer the probe. */
const DATABASE_PROBE_MS = 2_000;

/** The app's readiness as /health/ready and silta_ready report it: its databases, consumers and relays. */
@Injectable()
export class ReadinessProbe {
  private contributors: ReadinessContributor[] | undefined;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly discovery: DiscoveryService,
    private readonly hosts: MessagingHosts,
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  report(): Promise<ReadinessReport> {
    return readinessOf(
      this.hosts.consumers.map((host) => host.consumer),
      this.hosts.relays.map((host) => host.relay),
      {
        contributors: (this.contributors ??= this.discovery
          .getProviders()
          .map((wrapper) => wrapper.instance as unknown)
          .filter((instance): instance is ReadinessContributor => instance instanceof ReadinessContributor)),
        brokerGraceMs: this.config.READINESS_BROKER_GRACE_MS,
        databases: {
          'read-model': async () => void (await withTimeout(this.dataSource.query('SELECT 1'), DATABASE_PROBE_MS)),
          'event-store': async () => void (await withTimeout(this.store.readAll({ maxCount: 1 }), DATABASE_PROBE_MS)),
        },
      },
    );
  }
}
