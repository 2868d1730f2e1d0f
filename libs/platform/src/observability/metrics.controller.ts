import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Public } from '../auth/roles.decorator';
import type { ServiceConfig } from '../config';
import { Answers, Responds, Summary } from '../http/openapi';
import { SERVICE_CONFIG } from '../tokens';
import { ServiceMetrics } from './metrics';

/** Prometheus's text exposition format (version 0.0.4). */
const PrometheusText = z.string().meta({ id: 'PrometheusText', description: "Prometheus's text exposition format" });

interface MetricsResponse {
  status(code: number): { type(contentType: string): { send(body: string): void } };
}

/** GET /metrics for Prometheus: the app's metrics (README, Operate). */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: ServiceMetrics,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Public()
  @Get()
  @Responds({ 401: ['metrics_token_required'] })
  @Answers(PrometheusText, 'written by the handler')
  @Summary("The app's metrics in Prometheus's text format; with METRICS_TOKEN set, only for that bearer token")
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() response: MetricsResponse): Promise<void> {
    if (this.config.METRICS_TOKEN && !bearerMatches(authorization, this.config.METRICS_TOKEN)) {
      const problem = {
        type: 'https://silta.example/problems/metrics_token_required',
        title: 'Unauthorized',
        status: 401,
        code: 'metrics_token_required',
        detail: 'this app serves its metrics only with Authorization: Bearer <METRICS_TOKEN>',
      };
      response.status(401).type('application/problem+json').send(JSON.stringify(problem));
      return;
    }
    response.status(200).type(this.metrics.registry.contentType).send(await this.metrics.text());
  }
}

function bearerMatches(authorization: string | undefined, token: string): boolean {
  const presented = Buffer.from(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
