import { Controller, Get, Inject, Res } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Public } from './auth/roles.decorator';
import type { ServiceConfig } from './config';
import { Answers, Responds, Summary } from './http/openapi';
import { HealthReady, HealthStatus } from './http/platform.responses';
import { ConsumerHost, RelayHost } from './messaging-hosts';
import { notReadyDetail, readinessOf } from './readiness';
import { SERVICE_CONFIG } from './tokens';

/** The part of Express's response the readiness probe uses. */
interface ProbeResponse {
  status(code: number): { type(contentType: string): { send(body: string): void } };
}

/** Liveness (/health) and readiness (/health/ready) probes. */
@Controller('health')
export class HealthController {
  private hosts: { consumers: ConsumerHost[]; relays: RelayHost[] } | undefined;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly discovery: DiscoveryService,
  ) {}

  @Public()
  @Get()
  @Responds()
  @Answers(HealthStatus)
  @Summary('Liveness: answers as soon as the app accepts HTTP requests')
  check(): { status: 'ok'; service: string } {
    return { status: 'ok', service: this.config.service };
  }

  /**
   * 200 when every Kafka consumer has joined its group without an open alarm and the relay is
   * connected (or stands by); otherwise 503 with a problem listing what is not ready and why.
   */
  @Public()
  @Get('ready')
  @Responds({ 503: ['not_ready'] })
  @Answers(HealthReady, 'written by the handler')
  @Summary('Readiness: Kafka consumers joined, relay connected, no open consumer alarm')
  async ready(@Res() response: ProbeResponse): Promise<void> {
    const { consumers, relays } = this.messagingHosts();
    const report = await readinessOf(
      consumers.map((host) => host.consumer),
      relays.map((host) => host.relay),
    );
    const service = this.config.service;
    if (report.ready) {
      response.status(200).type('application/json').send(JSON.stringify({ status: 'ready', service, checks: report.checks }));
      return;
    }
    const problem = {
      type: 'https://silta.example/problems/not_ready',
      title: 'Service Unavailable',
      status: 503,
      code: 'not_ready',
      detail: notReadyDetail(report),
      service,
      checks: report.checks,
    };
    response.status(503).type('application/problem+json').send(JSON.stringify(problem));
  }

  private messagingHosts(): { consumers: ConsumerHost[]; relays: RelayHost[] } {
    if (!this.hosts) {
      const instances = this.discovery.getProviders().map((wrapper) => wrapper.instance as unknown);
      this.hosts = {
        consumers: instances.filter((i): i is ConsumerHost => i instanceof ConsumerHost),
        relays: instances.filter((i): i is RelayHost => i instanceof RelayHost),
      };
    }
    return this.hosts;
  }
}
