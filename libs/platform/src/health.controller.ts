import { Controller, Get, Inject, Res } from '@nestjs/common';
import { Public } from './auth/roles.decorator';
import type { ServiceConfig } from './config';
import { Answers, Responds, Summary } from './http/openapi';
import { HealthReady, HealthStatus } from './http/platform.responses';
import { ReadinessProbe } from './readiness-probe';
import { notReadyDetail } from './readiness';
import { SERVICE_CONFIG } from './tokens';

/** The part of Express's response the readiness probe uses. */
interface ProbeResponse {
  status(code: number): { type(contentType: string): { send(body: string): void } };
}

/** Liveness (/health, /health/live) and readiness (/health/ready) probes. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly readiness: ReadinessProbe,
  ) {}

  @Public()
  @Get()
  @Responds()
  @Answers(HealthStatus)
  @Summary('Liveness: answers as soon as the app accepts HTTP requests (also at /health/live)')
  check(): { status: 'ok'; service: string } {
    return { status: 'ok', service: this.config.service };
  }

  @Public()
  @Get('live')
  @Responds()
  @Answers(HealthStatus)
  @Summary('Liveness: answers as soon as the app accepts HTTP requests (the same as /health)')
  live(): { status: 'ok'; service: string } {
    return this.check();
  }

  /**
   * 200 when every Kafka consumer has joined its group without an open alarm and the relay is
   * connected (or stands by); otherwise 503 with a problem listing what is not ready and why.
   */
  @Public()
  @Get('ready')
  @Responds({ 503: ['not_ready'] })
  @Answers(HealthReady, 'written by the handler')
  @Summary('Readiness: databases answer, Kafka consumers joined and relay connected (or lost within the grace period), no open consumer alarm')
  async ready(@Res() response: ProbeResponse): Promise<void> {
    const report = await this.readiness.report();
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
}
