import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ThrottlerModule } from '@nestjs/throttler';
import { DataSource, type EntitySchema } from 'typeorm';
import { ConsumerAlarmEntity, ProcessedEventEntity, RelayStateEntity, createKafka } from '@silta/messaging';
import { AuthGuard } from './auth/auth.guard';
import { TokenVerifier } from './auth/token-verifier';
import { kafkaSecurityOf, loadConfig, type ServiceConfig, type ServiceName } from './config';
import { HealthController } from './health.controller';
import { InputBoundsGuard } from './http/input-bounds.guard';
import { jsonBodiesOnly } from './http/json-bodies.middleware';
import { OpenApiBuilder, openApiController } from './http/openapi';
import { ProblemFilter } from './http/problem';
import { securityHeaders } from './http/security-headers';
import { WriteRateLimitGuard, writeRateLimits } from './http/write-rate-limit';
import { RequestIdMiddleware } from './logging/request-context';
import { MessagingHosts, StorageCloser } from './messaging-hosts';
import { ReadinessProbe } from './readiness-probe';
import { httpMetrics } from './observability/http-metrics.middleware';
import { ServiceMetrics } from './observability/metrics';
import { MetricsController } from './observability/metrics.controller';
import { PlatformMetrics } from './observability/platform-metrics';
import { httpTracing } from './observability/http-tracing.middleware';
import { tracedEventStore } from './observability/traced-event-store';
import { tracingEnabled } from './observability/tracing';
import { openEventStore, queueSqliteTransactions, readModelOptions } from './persistence';
import { EVENT_STORE, KAFKA, SERVICE_CONFIG } from './tokens';
import { Logger } from '@nestjs/common';

export interface PlatformOptions {
  readonly service: ServiceName;
  /** The service's read-model entities. */
  readonly entities: Array<EntitySchema | Type<unknown>>;
  /** Config to use instead of the environment (tests). */
  readonly config?: ServiceConfig;
}

/**
 * What every Silta app shares: validated config, the event store, the read-model database, Kafka,
 * token verification with per-endpoint roles, problem+json errors, OpenAPI, health and metrics; and the
 * edge rules for every route: security headers, JSON-only bodies, bounded ids and well-formed
 * text, then authentication, then per-caller write limits (global guards run in that order).
 */
@Module({})
export class PlatformModule implements NestModule {
  constructor(private readonly metrics: ServiceMetrics) {}

  configure(consumer: MiddlewareConsumer): void {
    const tracing = tracingEnabled() ? [httpTracing(this.metrics.service)] : [];
    consumer.apply(RequestIdMiddleware, ...tracing, httpMetrics(this.metrics), securityHeaders, jsonBodiesOnly).forRoutes('{*path}');
  }

  static forService(options: PlatformOptions): DynamicModule {
    const config = options.config ?? loadConfig(options.service);
    return {
      module: PlatformModule,
      global: true,
      imports: [DiscoveryModule, CqrsModule.forRoot(), ThrottlerModule.forRoot(writeRateLimits(config))],
      controllers: [HealthController, MetricsController, openApiController(`Silta ${options.service} API`)],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: ServiceMetrics, useFactory: () => new ServiceMetrics(config.service) },
        MessagingHosts,
        ReadinessProbe,
        PlatformMetrics,
        {
          provide: EVENT_STORE,
          useFactory: async () => (tracingEnabled() ? tracedEventStore(await openEventStore(config), config.service) : openEventStore(config)),
        },
        {
          provide: DataSource,
          useFactory: async () =>
            queueSqliteTransactions(await new DataSource(readModelOptions(config, [...options.entities, ProcessedEventEntity, RelayStateEntity, ConsumerAlarmEntity])).initialize()),
        },
        {
          provide: KAFKA,
          useFactory: () =>
            createKafka({ brokers: config.KAFKA_BROKERS, clientId: `silta-${config.service}`, logger: new Logger('kafka'), security: kafkaSecurityOf(config) }),
        },
        {
          provide: TokenVerifier,
          useFactory: () => TokenVerifier.fromConfig(config),
        },
        { provide: APP_GUARD, useClass: InputBoundsGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: WriteRateLimitGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        OpenApiBuilder,
        StorageCloser,
      ],
      exports: [SERVICE_CONFIG, EVENT_STORE, DataSource, KAFKA, TokenVerifier, CqrsModule, ServiceMetrics],
    };
  }
}
