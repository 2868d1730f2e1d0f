import type { Provider } from '@nestjs/common';
import { ConfigError, SERVICE_CONFIG, type ServiceConfig } from '@silta/platform';
import { parseVerifierKey, verifierKeyOf } from '@silta/transparency';

/** The audit log's identity and keys, checked once at boot. */
export interface AuditLogSettings {
  /** The checkpoints' origin line (AUDIT_ORIGIN). */
  readonly origin: string;
  /** C2SP signer key (AUDIT_SIGNING_KEY); never leaves the service. */
  readonly signerKey: string;
  /** Its public verifier key `<name>+<hash>+<base64>`, served to auditors. */
  readonly verifierKey: string;
  /** AUDIT_CHECKPOINT_INTERVAL_MS; 0 signs checkpoints on demand only. */
  readonly checkpointIntervalMs: number;
  /** The other party's log, which this party witnesses and which witnesses this one (PEER_AUDIT_*). */
  readonly peer?: PeerAuditLog;
}

export interface PeerAuditLog {
  /** Its origin (PEER_AUDIT_ORIGIN). */
  readonly origin: string;
  /** Its verifier key (PEER_AUDIT_KEY). */
  readonly verifierKey: string;
  /** Its service, which serves consistency proofs at /v1/audit/log/consistency (PEER_AUDIT_URL). */
  readonly url: string;
}

export const AUDIT_LOG_SETTINGS = Symbol('AuditLogSettings');

/**
 * Reads the audit-log settings from the service config. A service with an audit log does not start without a valid
 * signer key; the error names AUDIT_SIGNING_KEY and never echoes its value.
 */
export function auditLogSettings(config: ServiceConfig): AuditLogSettings {
  const signerKey = config.AUDIT_SIGNING_KEY;
  if (!signerKey) {
    throw new ConfigError([
      `AUDIT_SIGNING_KEY: required by ${config.service} to sign its audit-log checkpoints; a C2SP signer key ` +
        'PRIVATE+KEY+<name>+<hash>+<base64> (generateSignerKey in @silta/transparency makes one)',
    ]);
  }
  let verifierKey: string;
  try {
    verifierKey = verifierKeyOf(signerKey);
  } catch (error) {
    throw new ConfigError([`AUDIT_SIGNING_KEY: not a valid C2SP Ed25519 signer key (${(error as Error).message.replace(signerKey, '…')})`]);
  }
  const origin = config.AUDIT_ORIGIN ?? `silta.${config.service}/local`;
  const problem = keyNameProblem('AUDIT_SIGNING_KEY', verifierKey, origin, 'AUDIT_ORIGIN');
  if (problem) throw new ConfigError([problem]);
  return {
    origin,
    signerKey,
    verifierKey,
    checkpointIntervalMs: config.AUDIT_CHECKPOINT_INTERVAL_MS,
    peer: peerOf(config),
  };
}

function peerOf(config: ServiceConfig): PeerAuditLog | undefined {
  const { PEER_AUDIT_KEY: key, PEER_AUDIT_URL: url, PEER_AUDIT_ORIGIN: origin } = config;
  if (!key && !url && !origin) return undefined;
  const problems: string[] = [];
  if (!key) problems.push('PEER_AUDIT_KEY: required to witness the other party: the verifier key of its log');
  if (!url) problems.push('PEER_AUDIT_URL: required to witness the other party: a witness checks consistency before it cosigns');
  if (!origin) problems.push("PEER_AUDIT_ORIGIN: required to witness the other party: its log's origin line");
  if (key) {
    try {
      parseVerifierKey(key);
    } catch (error) {
      problems.push(`PEER_AUDIT_KEY: not a C2SP verifier key <name>+<hash>+<base64> (${(error as Error).message})`);
    }
  }
  if (problems.length === 0) {
    const problem = keyNameProblem('PEER_AUDIT_KEY', key!, origin!, 'PEER_AUDIT_ORIGIN');
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { origin: origin!, verifierKey: key!, url: url!.replace(/\/+$/, '') };
}

/**
 * C2SP (tlog-checkpoint) names a log's key after its origin, so a verifier can tell from the key which log it checks;
 * a key named otherwise would sign checkpoints every C2SP verifier refuses. Names only the key's name, never the key.
 */
function keyNameProblem(variable: string, verifierKey: string, origin: string, originVariable: string): string | undefined {
  const { name } = parseVerifierKey(verifierKey);
  if (name === origin) return undefined;
  return (
    `${variable}: its key name ${JSON.stringify(name)} differs from the log's origin ${JSON.stringify(origin)} (${originVariable}); ` +
    'C2SP requires them equal: generate the key with the origin as its name'
  );
}

export const auditLogSettingsProvider: Provider = {
  provide: AUDIT_LOG_SETTINGS,
  inject: [SERVICE_CONFIG],
  useFactory: auditLogSettings,
};
