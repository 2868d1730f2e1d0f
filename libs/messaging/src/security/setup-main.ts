import { readFileSync } from 'node:fs';
import { createKafka, type KafkaSecurity } from '../kafka';
import { consoleLogger, type Logger } from '../logger';
import { applyKafkaSecurity } from './kafka-setup';

/**
 * The ACL set-up as a program: creates Silta's topics and applies the ACL table as the admin
 * principal, then exits 0 (1 on failure). Used by deploy/kafka/kafka.sh (through
 * scripts/kafka-setup.ts) and, compiled, by docker-compose:
 *   node dist/libs/messaging/src/security/setup-main.js
 * Env: KAFKA_BROKERS (host:port,...), KAFKA_USERNAME (admin), KAFKA_PASSWORD or KAFKA_PASSWORD_FILE,
 * KAFKA_SSL_CA_FILE (PEM of the broker's CA; unset: the system's CAs), KAFKA_SASL_MECHANISM
 * (scram-sha-512), KAFKA_SETUP_TIMEOUT_S (60: how long to keep retrying while the broker is not up yet).
 */
export interface KafkaSetupSettings {
  readonly brokers: string;
  readonly security: KafkaSecurity;
  readonly timeoutMs: number;
}

/** The settings from the environment; throws naming every variable that is missing or wrong. */
export function kafkaSetupSettings(env: NodeJS.ProcessEnv = process.env): KafkaSetupSettings {
  const problems: string[] = [];
  const value = (name: string) => (env[name] ?? '').trim() || undefined;
  const brokers = value('KAFKA_BROKERS');
  if (!brokers) problems.push('KAFKA_BROKERS is not set (host:port of the SASL_SSL listener)');
  const username = value('KAFKA_USERNAME') ?? 'admin';
  const mechanism = value('KAFKA_SASL_MECHANISM') ?? 'scram-sha-512';
  if (mechanism !== 'scram-sha-512' && mechanism !== 'scram-sha-256') problems.push(`KAFKA_SASL_MECHANISM must be scram-sha-512 or scram-sha-256, got ${mechanism}`);
  let password = value('KAFKA_PASSWORD');
  const passwordFile = value('KAFKA_PASSWORD_FILE');
  if (password && passwordFile) problems.push('set KAFKA_PASSWORD or KAFKA_PASSWORD_FILE, not both');
  else if (passwordFile) password = readSetting('KAFKA_PASSWORD_FILE', passwordFile, problems)?.trim();
  if (!password) problems.push(`no password for ${username}: set KAFKA_PASSWORD_FILE (or KAFKA_PASSWORD)`);
  const caFile = value('KAFKA_SSL_CA_FILE');
  const caPem = caFile ? readSetting('KAFKA_SSL_CA_FILE', caFile, problems) : undefined;
  if (caPem !== undefined && !caPem.includes('-----BEGIN CERTIFICATE-----')) problems.push('KAFKA_SSL_CA_FILE: not a PEM certificate file');
  const timeoutS = Number(value('KAFKA_SETUP_TIMEOUT_S') ?? '60');
  if (!Number.isFinite(timeoutS) || timeoutS < 0) problems.push('KAFKA_SETUP_TIMEOUT_S must be a number of seconds');
  if (problems.length > 0) throw new Error(`kafka setup: ${problems.join('; ')}`);
  return {
    brokers: brokers!,
    security: { mechanism: mechanism as KafkaSecurity['mechanism'], username, password: password!, caPem },
    timeoutMs: timeoutS * 1000,
  };
}

function readSetting(name: string, path: string, problems: string[]): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return undefined;
  }
}

/** Runs the set-up, retrying while the broker is unreachable (not on a refused login) until the timeout. */
export async function runKafkaSetup(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { brokers, security, timeoutMs } = kafkaSetupSettings(env);
  const logger = quietDuringLeaderWait(consoleLogger('kafka-setup'));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A fresh client (and sasl object) per attempt: kafkajs mutates the one it is given.
    const kafka = createKafka({ brokers, clientId: 'silta-kafka-setup', logger, security: { ...security } });
    try {
      await applyKafkaSecurity(kafka, { log: (line) => logger.log(line) });
      return;
    } catch (error) {
      const e = error as Error;
      const permanent = e.name === 'KafkaJSSASLAuthenticationError' || /AUTHORIZATION/i.test(`${(e as { type?: string }).type ?? ''} ${e.message}`);
      if (permanent || Date.now() > deadline) throw error;
      logger.warn(`not done yet (${e.message}); retrying in 2 s`);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}

/**
 * Drops kafkajs's errors for partitions that have no serving leader yet: ensureTopics waits those
 * out by design right after creating the topics, and they would read as failures in kafka.sh's output.
 */
function quietDuringLeaderWait(logger: Logger): Logger {
  const transient = /not the leader for that topic-partition|does not host this topic-partition|no leader for this topic-partition/i;
  return { ...logger, error: (message, trace) => (transient.test(message) ? undefined : logger.error(message, trace)) };
}

/** The program: exit 0 when the broker holds the table, 1 (with the reason on stderr) otherwise. */
export function main(): void {
  runKafkaSetup().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`kafka setup failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

if (require.main === module) main();
