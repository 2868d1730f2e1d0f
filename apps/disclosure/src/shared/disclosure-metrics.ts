import { Injectable } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import type { Decision } from '@silta/decision';
import { ServiceMetrics } from '@silta/platform';

/**
 * Disclosure's own metrics: decisions by basis and outcome, the reason code of every category
 * decided, explanations, and how long requests waited for the view (and how many gave up with
 * view_behind). Labels are bases, outcomes and reason codes: never who asked or about whom.
 */
@Injectable()
export class DisclosureMetrics {
  private readonly decisions: Counter<'basis' | 'outcome'>;
  private readonly reasons: Counter<'basis' | 'reason'>;
  private readonly explanations: Counter<'basis'>;
  private readonly consistencyWait: Histogram;
  private readonly viewBehind: Counter;

  constructor(metrics: ServiceMetrics) {
    this.decisions = metrics.counter({ name: 'silta_decisions_total', help: 'Disclosure decisions recorded, by basis and outcome (permit, partial, deny)', labelNames: ['basis', 'outcome'] });
    this.reasons = metrics.counter({ name: 'silta_decision_category_reasons_total', help: 'Categories decided, by basis and the reason code of each category', labelNames: ['basis', 'reason'] });
    this.explanations = metrics.counter({ name: 'silta_explanations_total', help: 'Explanations served (what would be released and why), by basis', labelNames: ['basis'] });
    this.consistencyWait = metrics.histogram({
      name: 'silta_view_consistency_wait_seconds',
      help: 'How long a request presenting a position token waited for the view to apply it',
      buckets: [0.001, 0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    });
    this.viewBehind = metrics.counter({ name: 'silta_view_behind_total', help: 'Requests answered 503 view_behind: the view had not applied the presented position in time' });
  }

  /** A decision was recorded (a repeat of an earlier one is not counted again). */
  decided(basis: string, decision: Decision): void {
    this.decisions.inc({ basis, outcome: decision.outcome });
    for (const category of decision.categories) this.reasons.inc({ basis, reason: category.reason });
  }

  explained(basis: string): void {
    this.explanations.inc({ basis });
  }

  /** A wait for the view ended after `seconds`: applied, or given up (view_behind). */
  waited(seconds: number, applied: boolean): void {
    this.consistencyWait.observe(seconds);
    if (!applied) this.viewBehind.inc();
  }
}
