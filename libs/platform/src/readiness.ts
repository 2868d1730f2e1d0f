import type { EventRelay, OpenConsumerAlarm, ProjectionConsumer } from '@silta/messaging';

/** One part that needs the broker, as readiness reports it. */
export interface ReadinessCheck {
  readonly kind: 'consumer' | 'relay' | 'database' | 'policy';
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
 * A part of an app with a readiness of its own (disclosure's policy): a provider extending this
 * is found at boot and asked on every readiness probe.
 */
export abstract class ReadinessContributor {
  abstract check(): ReadinessCheck | Promise<ReadinessCheck>;
}

export interface ReadinessOptions {
  /** The app's databases by name, each a check that throws when it does not answer. */
  readonly databases?: Readonly<Record<string, () => Promise<void>>>;
  /**
   * A consumer that had joined its group, or a relay that had published, and lost the broker less
   * than this long ago still counts as ready (READINESS_BROKER_GRACE_MS): a broker restart or a
   * rebalance does not take every instance out of service at once. One that never connected gets none.
   */
  readonly brokerGraceMs?: number;
  readonly now?: Date;
  /** The app's own parts' readiness (ReadinessContributor). */
  readonly contributors?: readonly ReadinessContributor[];
}

/**
 * Whether the app is ready: its databases answer, every consumer has joined its group (or lost the
 * broker within the grace period) and has no open alarm, and every relay either publishes (holds
 * the lease, connected) or stands by for the instance that does. /health/live stays liveness.
 */
export async function readinessOf(consumers: readonly ProjectionConsumer[], relays: readonly EventRelay[], options: ReadinessOptions = {}): Promise<ReadinessReport> {
  const checks: ReadinessCheck[] = [];
  const now = options.now ?? new Date();
  const graceMs = options.brokerGraceMs ?? 0;
  /** A part that was connected and lost the broker less than the grace period ago: a broker restart or a rebalance, not yet an outage. */
  const withinGrace = (wasConnected: boolean, since: Date) => wasConnected && now.getTime() - since.getTime() < graceMs;
  for (const contributor of options.contributors ?? []) checks.push(await contributor.check());
  for (const [name, check] of Object.entries(options.databases ?? {})) {
    const started = now.toISOString();
    try {
      await check();
      checks.push({ kind: 'database', name, topics: [], ready: true, state: 'reachable', since: started });
    } catch (error) {
      checks.push({ kind: 'database', name, topics: [], ready: false, state: 'unreachable', since: started, lastError: error instanceof Error ? error.message : String(error) });
    }
  }
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
      ready: (state === 'joined' || withinGrace(consumer.groupJoins > 0, since)) && openAlarms.length === 0 && !alarmError,
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
      ready: state === 'active' || state === 'standby' || (state === 'retrying' && withinGrace(relay.lastPublishedAt !== undefined, since)),
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
