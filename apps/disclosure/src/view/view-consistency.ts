import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodePositionToken, Refusal } from '@silta/contracts';
import { ProcessedEventEntity } from '@silta/messaging';
import { SERVICE_CONFIG, consumerGroupId, secondsSince, type ServiceConfig } from '@silta/platform';
import { DisclosureMetrics } from '../shared/disclosure-metrics';
import { VIEW_CONSUMER_GROUP } from './view.constants';

/** Read-your-writes across services: waits until the view applied the event a position token names. */
@Injectable()
export class ViewConsistency {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
    private readonly metrics: DisclosureMetrics,
  ) {}

  /**
   * Returns once applied, or answers 503 after CONSISTENCY_WAIT_MS; a malformed token is a 400.
   * Answers the traceparent of the consumer span that applied the event, when it was traced, so the
   * request that waited can continue that trace.
   */
  async waitFor(tokenText: string): Promise<string | undefined> {
    const token = decodePositionToken(tokenText);
    if (!token || !['consent', 'roster'].includes(token.service)) {
      throw new Refusal('invalid', 'invalid_position_token', 'consistentWith is not a position token from consent or roster');
    }
    const consumer = consumerGroupId(this.config, VIEW_CONSUMER_GROUP);
    const started = process.hrtime.bigint();
    const deadline = Date.now() + this.config.CONSISTENCY_WAIT_MS;
    for (;;) {
      // eventId too: TypeORM answers null for a row whose selected columns are all null (traceparent is, with tracing off).
      const applied = await this.dataSource.manager.findOne(ProcessedEventEntity, { where: { consumer, eventId: token.eventId }, select: { eventId: true, traceparent: true } });
      if (applied) {
        this.metrics.waited(secondsSince(started), true);
        return applied.traceparent ?? undefined;
      }
      if (Date.now() >= deadline) {
        this.metrics.waited(secondsSince(started), false);
        throw new Refusal('unavailable', 'view_behind', 'disclosure has not yet seen the change this token names; retry shortly');
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
