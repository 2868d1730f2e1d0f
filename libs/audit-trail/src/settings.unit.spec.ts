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
    const broken = `${generateSignerKey('silta.disclosure/local').slice(0, -4)}AAAA`;
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
    const signerKey = generateSignerKey('silta.disclosure/local');
    const settings = auditLogSettings(loadConfig('disclosure', { ...base, AUDIT_SIGNING_KEY: signerKey, AUDIT_CHECKPOINT_INTERVAL_MS: '0' }));
    expect(settings).toEqual({ origin: 'silta.disclosure/local', signerKey, verifierKey: verifierKeyOf(signerKey), checkpointIntervalMs: 0 });
    expect(() => loadConfig('disclosure', { ...base, AUDIT_ORIGIN: 'two\nlines' })).toThrow(/AUDIT_ORIGIN/);
  });

  it('refuse a signer key not named after the origin, naming both and not the key', () => {
    const signerKey = generateSignerKey('silta-local-audit');
    let message = '';
    try {
      auditLogSettings(loadConfig('disclosure', { ...base, AUDIT_SIGNING_KEY: signerKey }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(
      'AUDIT_SIGNING_KEY: its key name "silta-local-audit" differs from the log\'s origin "silta.disclosure/local" (AUDIT_ORIGIN); C2SP requires them equal',
    );
    expect(message).not.toContain(signerKey);
    const renamed = generateSignerKey('silta.disclosure/test');
    expect(auditLogSettings(loadConfig('disclosure', { ...base, AUDIT_SIGNING_KEY: renamed, AUDIT_ORIGIN: 'silta.disclosure/test' })).origin).toBe('silta.disclosure/test');
  });

  it("refuse a peer's verifier key not named after the peer's origin", () => {
    const own = { ...base, AUDIT_SIGNING_KEY: generateSignerKey('silta.disclosure/local'), PEER_AUDIT_URL: 'http://127.0.0.1:3004' };
    const peerKey = verifierKeyOf(generateSignerKey('silta-local-receipts'));
    expect(() => auditLogSettings(loadConfig('disclosure', { ...own, PEER_AUDIT_KEY: peerKey, PEER_AUDIT_ORIGIN: 'silta.receipts/local' }))).toThrow(
      'PEER_AUDIT_KEY: its key name "silta-local-receipts" differs from the log\'s origin "silta.receipts/local" (PEER_AUDIT_ORIGIN)',
    );
    const named = verifierKeyOf(generateSignerKey('silta.receipts/local'));
    expect(auditLogSettings(loadConfig('disclosure', { ...own, PEER_AUDIT_KEY: named, PEER_AUDIT_ORIGIN: 'silta.receipts/local' })).peer).toEqual({
      origin: 'silta.receipts/local',
      verifierKey: named,
      url: 'http://127.0.0.1:3004',
    });
  });
});
