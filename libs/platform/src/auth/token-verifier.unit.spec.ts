import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { signUserToken } from './sign-token';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

const issuer = 'https://idp.example.invalid';
const audience = 'silta';

async function sign(key: CryptoKey, alg: string, kid: string, claims: Record<string, unknown>, overrides: { iss?: string; aud?: string } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid })
    .setSubject('p-1')
    .setIssuer(overrides.iss ?? issuer)
    .setAudience(overrides.aud ?? audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

describe('token verification', () => {
  describe('with keys from a JWKS URL (deployments)', () => {
    let server: Server;
    let verifier: TokenVerifier;
    let rsa: CryptoKey;
    let ec: CryptoKey;
    let stranger: CryptoKey;

    beforeAll(async () => {
      const rsaPair = await generateKeyPair('RS256');
      const ecPair = await generateKeyPair('ES256');
      rsa = rsaPair.privateKey;
      ec = ecPair.privateKey;
      stranger = (await generateKeyPair('RS256')).privateKey;
      const keys = [
        { ...(await exportJWK(rsaPair.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ecPair.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      ];
      server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      verifier = new TokenVerifier({ jwksUrl: `http://127.0.0.1:${port}/jwks.json`, issuer, audience });
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('accepts RS256 and ES256 tokens and reads identity, role and organisation from them', async () => {
      const claims = { role: 'curator', org: 'welfare-area:w' };
      await expect(verifier.verify(await sign(rsa, 'RS256', 'rsa-1', claims))).resolves.toEqual({ sub: 'p-1', role: 'curator', org: 'welfare-area:w' });
      await expect(verifier.verify(await sign(ec, 'ES256', 'ec-1', claims))).resolves.toMatchObject({ role: 'curator' });
    });

    it.each([
      ['another issuer', () => sign(rsa, 'RS256', 'rsa-1', { role: 'curator' }, { iss: 'https://evil.example.invalid' })],
      ['another audience', () => sign(rsa, 'RS256', 'rsa-1', { role: 'curator' }, { aud: 'someone-else' })],
      ['a key not in the set', () => sign(stranger, 'RS256', 'rsa-1', { role: 'curator' })],
      ['an unknown role', () => sign(rsa, 'RS256', 'rsa-1', { role: 'superuser' })],
      ['an HS256 token, even with a plausible secret', () => signUserToken({ sub: 'p-1', role: 'curator' }, { secret: 'x'.repeat(32), issuer, audience })],
    ])('rejects %s', async (_name, token) => {
      await expect(verifier.verify(await token())).rejects.toBeInstanceOf(InvalidTokenError);
    });
  });

  describe('with a shared secret (local use)', () => {
    const secret = 'a-local-secret-of-at-least-32-characters';
    const verifier = new TokenVerifier({ secret, issuer: 'silta-local', audience });

    it('accepts its own HS256 tokens and rejects expired ones and other secrets', async () => {
      const options = { secret, issuer: 'silta-local', audience };
      await expect(verifier.verify(await signUserToken({ sub: 'g-1', role: 'guardian' }, options))).resolves.toEqual({ sub: 'g-1', role: 'guardian', org: undefined });
      const expired = await signUserToken({ sub: 'g-1', role: 'guardian' }, { ...options, expiresIn: Math.floor(Date.now() / 1000) - 10 });
      await expect(verifier.verify(expired)).rejects.toThrow(/exp/);
      const forged = await signUserToken({ sub: 'g-1', role: 'guardian' }, { ...options, secret: 'another-secret-of-at-least-32-characters' });
      await expect(verifier.verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
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
