import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, kafkaSecurityOf, loadConfig, type ServiceName } from './config';

// What every app checks of its environment at boot: its own Kafka principal, who may hold the
// internal secret, and one way of verifying tokens. Each refusal names the variable.
describe('loadConfig: the party boundary at boot', () => {
  const folder = mkdtempSync(join(tmpdir(), 'silta-config-'));
  const file = (name: string, text: string) => {
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
  };
  const internal = 'i'.repeat(40);
  const base = { JWT_SECRET: 'j'.repeat(40), KAFKA_USERNAME: 'consent', KAFKA_PASSWORD: 'consent-password' };
  /** Consent holds the internal secret: it reads the student's standing (birth date) from roster. */
  const consentBase = { ...base, INTERNAL_TOKEN_SECRET: internal };
  const problemsOf = (service: ServiceName, env: NodeJS.ProcessEnv): string[] => {
    try {
      loadConfig(service, env);
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return [...error.problems];
    }
  };

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('takes the Kafka password from its file, trimmed, and the CA from its PEM file', () => {
    const caPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const config = loadConfig('consent', {
      ...consentBase,
      KAFKA_PASSWORD: undefined,
      KAFKA_PASSWORD_FILE: file('consent.password', 'from-the-file\n'),
      KAFKA_SSL_CA_FILE: file('ca.pem', caPem),
    });
    expect(kafkaSecurityOf(config)).toEqual({ mechanism: 'scram-sha-512', username: 'consent', password: 'from-the-file', caPem });
  });

  it.each([
    ['no principal', { KAFKA_USERNAME: undefined }, /^KAFKA_USERNAME: /],
    ['a principal name with a space', { KAFKA_USERNAME: 'con sent' }, /^KAFKA_USERNAME: a Kafka principal name/],
    ['no password', { KAFKA_PASSWORD: undefined }, /^KAFKA_PASSWORD or KAFKA_PASSWORD_FILE: /],
    ['both a password and a password file', { KAFKA_PASSWORD_FILE: '/dev/null' }, /^KAFKA_PASSWORD_FILE: set KAFKA_PASSWORD or KAFKA_PASSWORD_FILE, not both/],
    ['a password file that is not there', { KAFKA_PASSWORD: undefined, KAFKA_PASSWORD_FILE: '/nonexistent/consent.password' }, /^KAFKA_PASSWORD_FILE: cannot read .* \(ENOENT\)/],
    ['an empty password file', { KAFKA_PASSWORD: undefined, KAFKA_PASSWORD_FILE: '/dev/null' }, /^KAFKA_PASSWORD_FILE: \/dev\/null is empty/],
    ['a CA file that is not there', { KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' }, /^KAFKA_SSL_CA_FILE: cannot read/],
    ['a CA file that is no certificate', { KAFKA_SSL_CA_FILE: '/etc/hostname' }, /^KAFKA_SSL_CA_FILE: not a PEM certificate file/],
    ['an unknown SASL mechanism', { KAFKA_SASL_MECHANISM: 'plain' }, /^KAFKA_SASL_MECHANISM: /],
  ])('refuses %s', (_name, change, problem) => {
    expect(problemsOf('consent', { ...consentBase, ...change })).toEqual([expect.stringMatching(problem)]);
  });

  it('gives INTERNAL_TOKEN_SECRET to roster, disclosure and consent only, and refuses it to receipts', () => {
    expect(problemsOf('roster', base)).toEqual(['INTERNAL_TOKEN_SECRET: required by roster']);
    expect(problemsOf('disclosure', base)).toEqual(['INTERNAL_TOKEN_SECRET: required by disclosure']);
    expect(problemsOf('consent', base)).toEqual(['INTERNAL_TOKEN_SECRET: required by consent']);
    for (const service of ['roster', 'disclosure', 'consent'] as const) expect(problemsOf(service, { ...base, INTERNAL_TOKEN_SECRET: internal })).toEqual([]);
    expect(problemsOf('receipts', { ...base, INTERNAL_TOKEN_SECRET: internal })).toEqual([
      'INTERNAL_TOKEN_SECRET: only roster, disclosure and consent may hold it; do not give it to receipts',
    ]);
  });

  it('lets only roster accept a previous internal secret, during a rotation', () => {
    const rotating = { ...base, INTERNAL_TOKEN_SECRET: internal, INTERNAL_TOKEN_PREVIOUS_SECRET: 'p'.repeat(40) };
    expect(problemsOf('roster', rotating)).toEqual([]);
    expect(problemsOf('disclosure', rotating)).toEqual([expect.stringMatching(/^INTERNAL_TOKEN_PREVIOUS_SECRET: only roster accepts a previous secret/)]);
  });

  it('verifies tokens one way: a trust file, or the HS256 local mode, never both and never neither', () => {
    expect(problemsOf('consent', { ...consentBase, TRUSTED_ISSUERS: '/etc/silta/trust.yaml' })).toEqual([expect.stringMatching(/^JWT_SECRET: HS256 local mode cannot be combined with TRUSTED_ISSUERS/)]);
    expect(problemsOf('consent', { ...consentBase, JWT_SECRET: undefined })).toEqual(['TRUSTED_ISSUERS or JWT_SECRET: one of them is required to verify tokens']);
  });

  it('names every problem at once', () => {
    expect(problemsOf('receipts', { JWT_SECRET: base.JWT_SECRET, KAFKA_USERNAME: 'receipts', INTERNAL_TOKEN_SECRET: internal })).toHaveLength(2);
  });
});
