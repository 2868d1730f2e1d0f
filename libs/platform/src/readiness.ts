import type { EventRelay, OpenConsumerAlarm, ProjectionConsumer } from '@silta/messaging';

/** One part that needs the broker, as readiness reports it. */
export interface ReadinessCheck {
  readonly kind: 'consumer' | 'relay';
  /** The consumer group, or the relay's name. */
  readonly name: string;
  readonly topics: readonly string[];
  readonly ready: boolean;
  readonly state: string;
  readonly since: string;
  readonly lastError?: string;
  /** Dead letters that would have narrowed access, not yet resolved (consumers only). */
  readonly openAlarms?: readonly OpenConsumerAlarm[];
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: readonly ReadinessCheck[];
}

/**
 * Whether the app's Kafka parts are ready: every consumer has joined its group and has no open
 * alarm, and every relay either publishes (holds the lease, connected) or stands by for the
 * instance that does. Decisions and other HTTP work need none of this; /health stays liveness.
 */
export async function readinessOf(consumers: readonly ProjectionConsumer[], relays: readonly EventRelay[]): Promise<ReadinessReport> {
  const checks: ReadinessCheck[] = [];
  for (const consumer of consumers) {
    const { groupId, topics, state, since, lastError } = consumer.status;
    let openAlarms: readonly OpenConsumerAlarm[] = [];
    let alarmError: string | undefined;
    try {
      openAlarms = await consumer.openAlarms();
    } catch (error) {
      alarmError = `cannot read alarms: ${error instanceof Error ? error.message : String(error)}`;
    }
    checks.push({
      kind: 'consumer',
      name: groupId,
      topics,
      ready: state === 'joined' && openAlarms.length === 0 && !alarmError,
      state,
      since: since.toISOString(),
      ...(alarmError ?? lastError ? { lastError: alarmError ?? lastError } : {}),
      openAlarms,
    });
  }
  for (const relay of relays) {
    const { name, topic, state, since, lastError } = relay.status;
    checks.push({
      kind: 'relay',
      name,
      topics: [topic],
      ready: state === 'active' || state === 'standby',
      state,
      since: since.toISOString(),
      ...(lastError ? { lastError } : {}),
    });
  }
  return { ready: checks.every((check) => check.ready), checks };
}

/** One line naming what is not ready and why, for the problem's detail. */
export function notReadyDetail(report: ReadinessReport): string {
  const parts = report.checks
    .filter((check) => !check.ready)
    .map((check) => {
      const alarms = check.openAlarms?.length ? `, ${check.openAlarms.length} open alarm(s) for dead letters that would have narrowed access` : '';
      return `${check.kind} ${check.name}: ${check.state}${alarms}${check.lastError ? ` (${check.lastError})` : ''}`;
    });
  return `not ready: ${parts.join('; ')}`;
}
