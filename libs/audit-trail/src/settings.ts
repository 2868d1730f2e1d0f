import type { Provider } from '@nestjs/common';
import { ConfigError, SERVICE_CONFIG, type ServiceConfig } from '@silta/platform';
import { verifierKeyOf } from '@silta/transparency';

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
  return { origin: config.AUDIT_ORIGIN, signerKey, verifierKey, checkpointIntervalMs: config.AUDIT_CHECKPOINT_INTERVAL_MS };
}

export const auditLogSettingsProvider: Provider = {
  provide: AUDIT_LOG_SETTINGS,
  inject: [SERVICE_CONFIG],
  useFactory: auditLogSettings,
};
