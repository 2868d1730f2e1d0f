import { SignJWT, generateKeyPair } from 'jose';
import { ConfigError } from '../config';
import { signUserToken } from './sign-token';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

// The HS256 local mode. Tokens from trusted issuers (the deployments' mode): trusted-issuers.unit.spec.ts.
const audience = 'silta';

describe('token verification', () => {
  describe('with a shared secret (local use)', () => {
    const secret = 'a-local-secret-of-at-least-32-characters';
    const verifier = new TokenVerifier({ secret, issuer: 'silta-local', audience });

    it('accepts its own HS256 tokens and rejects expired ones and other secrets', async () => {
      const options = { secret, issuer: 'silta-local', audience };
      await expect(verifier.verify(await signUserToken({ sub: 'g-1', role: 'guardian' }, options))).resolves.toEqual({ issuer: 'local', sub: 'g-1', role: 'guardian', org: undefined });
      const expired = await signUserToken({ sub: 'g-1', role: 'guardian' }, { ...options, expiresIn: Math.floor(Date.now() / 1000) - 10 });
      await expect(verifier.verify(expired)).rejects.toThrow(/exp/);
      const forged = await signUserToken({ sub: 'g-1', role: 'guardian' }, { ...options, secret: 'another-secret-of-at-least-32-characters' });
      await expect(verifier.verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
    });

    it('refuses a token of another issuer or audience, and one signed with an asymmetric algorithm', async () => {
      const options = { secret, issuer: 'silta-local', audience };
      await expect(verifier.verify(await signUserToken({ sub: 'g-1', role: 'guardian' }, { ...options, issuer: 'someone-else' }))).rejects.toThrow(/"iss" claim/);
      await expect(verifier.verify(await signUserToken({ sub: 'g-1', role: 'guardian' }, { ...options, audience: 'other' }))).rejects.toThrow(/"aud" claim/);
      const { privateKey } = await generateKeyPair('ES256');
      const es256 = await new SignJWT({ role: 'guardian' }).setProtectedHeader({ alg: 'ES256' }).setSubject('g-1').setIssuer('silta-local').setAudience(audience).setIssuedAt().setExpirationTime('5m').sign(privateKey);
      await expect(verifier.verify(es256)).rejects.toThrow(/"alg" \(Algorithm\) Header Parameter value not allowed/);
    });

    it('refuses a user token claiming the services\' own role', async () => {
      const service = await signUserToken({ sub: 'roster', role: 'service' }, { secret, issuer: 'silta-local', audience });
      await expect(verifier.verify(service)).rejects.toThrow(/claim "role" must be one of (?!.*service)/);
    });

    it('still refuses a token it accepted before, once the token has expired', async () => {
      const options = { secret, issuer: 'silta-local', audience };
      const exp = Math.floor(Date.now() / 1000) + 60;
      const token = await signUserToken({ sub: 'c-1', role: 'curator' }, { ...options, expiresIn: exp });
      await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'c-1' });
      await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'c-1' });
      // Only the clock moves on; the signature check stays asynchronous.
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
      try {
        jest.setSystemTime((exp + 1) * 1000);
        await expect(verifier.verify(token)).rejects.toThrow(/exp/);
      } finally {
        jest.useRealTimers();
      }
    });
  });
});

describe('TokenVerifier.fromConfig', () => {
  const base = { TRUSTED_ISSUERS: undefined, JWT_SECRET: undefined, JWT_ISSUER: 'silta-local', JWT_AUDIENCE: audience, JWT_MAX_TOKEN_AGE: 3600 };

  it('uses JWT_SECRET in the local mode, with its issuer, audience and maximum age; the caller\'s issuer is "local"', async () => {
    const secret = 'a-local-secret-of-at-least-32-characters';
    const verifier = TokenVerifier.fromConfig({ ...base, JWT_SECRET: secret });
    await expect(verifier.verify(await signUserToken({ sub: 's-1', role: 'student' }, { secret, issuer: 'silta-local', audience, expiresIn: '1h' }))).resolves.toEqual({
      issuer: 'local',
      sub: 's-1',
      role: 'student',
      org: undefined,
    });
    await expect(verifier.verify(await signUserToken({ sub: 's-1', role: 'student' }, { secret, issuer: 'silta-local', audience, expiresIn: '2h' }))).rejects.toThrow(/more than 3600 s/);
  });

  it('refuses JWT_SECRET with TRUSTED_ISSUERS, and neither', () => {
    expect(() => TokenVerifier.fromConfig({ ...base, JWT_SECRET: 'x'.repeat(32), TRUSTED_ISSUERS: '/some/file.yaml' })).toThrow(ConfigError);
    expect(() => TokenVerifier.fromConfig(base)).toThrow(/TRUSTED_ISSUERS or JWT_SECRET/);
  });
});

describe('token lifetime and claim bounds', () => {
  const secret = 'a-local-secret-of-at-least-32-characters';
  const key = new TextEncoder().encode(secret);
  const verifier = new TokenVerifier({ secret, issuer: 'silta-local', audience, maxTokenAge: 12 * 3600 });
  const now = () => Math.floor(Date.now() / 1000);

  /** An HS256 token with exactly these claims (iat and exp included only when given). */
  function raw(claims: { sub?: string; role?: string; org?: unknown; iat?: number; exp?: number }) {
    const { sub = 'p-1', iat, exp, ...rest } = claims;
    const jwt = new SignJWT({ role: 'curator', ...rest }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuer('silta-local').setAudience(audience);
    if (iat !== undefined) jwt.setIssuedAt(iat);
    if (exp !== undefined) jwt.setExpirationTime(exp);
    return jwt.sign(key);
  }

  it('accepts a token that lives up to the maximum', async () => {
    await expect(verifier.verify(await raw({ iat: now(), exp: now() + 12 * 3600 }))).resolves.toMatchObject({ sub: 'p-1' });
  });

  it.each([
    ['a ten-year token', () => raw({ iat: now(), exp: now() + 10 * 365 * 24 * 3600 }), /"exp" is more than 43200 s after "iat"/],
    ['a token one second longer than the maximum', () => raw({ iat: now(), exp: now() + 12 * 3600 + 1 }), /"exp" is more than/],
    ['a token without iat', () => raw({ exp: now() + 60 }), /"iat" claim/],
    ['a token issued longer ago than the maximum, though not expired', () => raw({ iat: now() - 13 * 3600, exp: now() + 60 }), /"iat" claim timestamp check failed/],
    ['a token issued in the future', () => raw({ iat: now() + 3600, exp: now() + 7200 }), /"iat" claim timestamp check failed/],
  ])('refuses %s', async (_name, token, message) => {
    const refused = verifier.verify(await token());
    await expect(refused).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifier.verify(await token())).rejects.toThrow(message);
  });

  it.each([
    ['a 250-character sub', { sub: 'p'.repeat(250) }, /claim "sub"/],
    ['a sub with a control character', { sub: 'p-1\r\nX-Injected: 1' }, /claim "sub"/],
    ['a sub with a lone surrogate', { sub: 'p-\ud800' }, /claim "sub"/],
    ['an org that is not municipality:<id> or welfare-area:<id>', { org: 'school:1' }, /claim "org"/],
    ['an org of 250 characters', { org: `welfare-area:${'w'.repeat(240)}` }, /claim "org"/],
    ['an org that is not a string', { org: 7 }, /claim "org"/],
  ])('refuses %s, naming the claim', async (_name, claims, message) => {
    await expect(verifier.verify(await raw({ ...claims, iat: now(), exp: now() + 60 }))).rejects.toThrow(message);
  });

  it('defaults the maximum to 12 hours', async () => {
    const unconfigured = new TokenVerifier({ secret, issuer: 'silta-local', audience });
    await expect(unconfigured.verify(await raw({ iat: now(), exp: now() + 12 * 3600 + 60 }))).rejects.toThrow(/43200 s/);
  });
});
