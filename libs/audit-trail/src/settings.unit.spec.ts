import { ConfigError, loadConfig } from '@silta/platform';
import { generateSignerKey, verifierKeyOf } from '@silta/transparency';
import { auditLogSettings } from './settings';

const base = { JWT_SECRET: 'x'.repeat(32), INTERNAL_TOKEN_SECRET: 'y'.repeat(32), KAFKA_USERNAME: 'disclosure', KAFKA_PASSWORD: 'not-used-without-a-broker' };

describe('audit log settings at boot', () => {
  it('need AUDIT_SIGNING_KEY in disclosure, naming it, while roster and consent start without it', () => {
    expect(() => loadConfig('roster', base)).not.toThrow();
    expect(() => auditLogSettings(loadConfig('disclosure', base))).toThrow(ConfigError);
    expect(() => auditLogSettings(loadConfig('disclosure', base))).toThrow(/AUDIT_SIGNING_KEY: required by disclosure/);
  });

  it('refuse a malformed key without echoing it', () => {
    const broken = `${generateSignerKey('silta-test').slice(0, -4)}AAAA`;
    let message = '';
    try {
      auditLogSettings(loadConfig('disclosure', { ...base, AUDIT_SIGNING_KEY: broken }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/AUDIT_SIGNING_KEY: not a valid C2SP Ed25519 signer key/);
    expect(message).not.toContain(broken);
  });

  it('serve the verifier key of the signer key, with the configured origin and interval', () => {
    const signerKey = generateSignerKey('silta-test');
    const settings = auditLogSettings(loadConfig('disclosure', { ...base, AUDIT_SIGNING_KEY: signerKey, AUDIT_CHECKPOINT_INTERVAL_MS: '0' }));
    expect(settings).toEqual({ origin: 'silta.disclosure/local', signerKey, verifierKey: verifierKeyOf(signerKey), checkpointIntervalMs: 0 });
    expect(() => loadConfig('disclosure', { ...base, AUDIT_ORIGIN: 'two\nlines' })).toThrow(/AUDIT_ORIGIN/);
  });
});
