import type { ExecutionContext } from '@nestjs/common';
import { SignJWT, decodeJwt } from 'jose';
import type { ServiceConfig, ServiceName } from '../config';
import { InternalServiceGuard, InternalTokenSource, signInternalToken } from './internal-token';

const SECRET = 's'.repeat(40);

describe('InternalTokenSource', () => {
  // Only Date is faked: the token's iat/exp follow the clock, the signing itself stays asynchronous.
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
    jest.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => jest.useRealTimers());

  it('reuses one token for the first half of its lifetime, then signs a new one', async () => {
    const source = new InternalTokenSource(SECRET, 'disclosure', { ttlSeconds: 60 });
    const first = await source.token();
    jest.setSystemTime(new Date('2026-01-01T00:00:29Z'));
    expect(await source.token()).toBe(first);
    jest.setSystemTime(new Date('2026-01-01T00:00:31Z'));
    const second = await source.token();
    expect(second).not.toBe(first);
    expect(decodeJwt(second)).toMatchObject({ sub: 'disclosure', role: 'service', exp: Date.parse('2026-01-01T00:01:31Z') / 1000 });
  });

  it('signs once for callers asking at the same time', async () => {
    const source = new InternalTokenSource(SECRET, 'disclosure');
    const tokens = await Promise.all([source.token(), source.token(), source.token()]);
    expect(new Set(tokens).size).toBe(1);
  });
});

describe('InternalServiceGuard', () => {
  const key = new TextEncoder().encode(SECRET);
  const guardOf = (service: ServiceName) => new InternalServiceGuard({ service, INTERNAL_TOKEN_SECRET: SECRET } as ServiceConfig);
  const now = () => Math.floor(Date.now() / 1000);

  function presenting(token: string): { context: ExecutionContext; request: { headers: Record<string, string>; caller?: string } } {
    const request: { headers: Record<string, string>; caller?: string } = { headers: { authorization: `Bearer ${token}` } };
    const context = { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
    return { context, request };
  }

  /** A service token with exactly these claims, signed with the shared secret. */
  function raw(claims: { aud?: string; iat?: number; exp: number }) {
    const jwt = new SignJWT({ role: 'service' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('disclosure')
      .setIssuer('silta-services')
      .setAudience(claims.aud ?? 'silta-internal:roster')
      .setExpirationTime(claims.exp);
    if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
    return jwt.sign(key);
  }

  it('lets through a token signed for its own service, and names the caller', async () => {
    const { context, request } = presenting(await signInternalToken(SECRET, 'disclosure', { audience: 'roster' }));
    await expect(guardOf('roster').canActivate(context)).resolves.toBe(true);
    expect(request.caller).toBe('disclosure');
  });

  it.each([
    ['a token for another service', () => signInternalToken(SECRET, 'disclosure', { audience: 'consent' }), /aud/],
    ['a token for every internal endpoint (the old shared audience)', () => raw({ aud: 'silta-internal', iat: now(), exp: now() + 60 }), /aud/],
    ['a ten-year token', () => raw({ iat: now(), exp: now() + 10 * 365 * 86_400 }), /"exp" is more than 120 s after "iat"/],
    ['a token living 121 s', () => raw({ iat: now(), exp: now() + 121 }), /"exp" is more than 120 s/],
    ['a token without iat', () => raw({ exp: now() + 60 }), /"iat" claim/],
    ['a token issued three minutes ago', () => raw({ iat: now() - 180, exp: now() + 30 }), /"iat" claim timestamp check failed/],
  ])('refuses %s with 401', async (_name, token, message) => {
    const refusal = guardOf('roster').canActivate(presenting(await token()).context);
    await expect(refusal).rejects.toMatchObject({ status: 401, code: 'invalid_token', detail: expect.stringMatching(message) });
  });

  it('accepts the previous secret only while roster is told it is being rotated out', async () => {
    const next = 'the-next-internal-secret-of-32-characters-or-more';
    const rotating = new InternalServiceGuard({ service: 'roster', INTERNAL_TOKEN_SECRET: next, INTERNAL_TOKEN_PREVIOUS_SECRET: SECRET } as ServiceConfig);
    const rotated = new InternalServiceGuard({ service: 'roster', INTERNAL_TOKEN_SECRET: next } as ServiceConfig);
    // disclosure still signing with the old secret, and already with the new one
    await expect(rotating.canActivate(presenting(await signInternalToken(SECRET, 'disclosure', { audience: 'roster' })).context)).resolves.toBe(true);
    await expect(rotating.canActivate(presenting(await signInternalToken(next, 'disclosure', { audience: 'roster' })).context)).resolves.toBe(true);
    // after the rotation the old secret is refused; a third one never passed
    await expect(rotated.canActivate(presenting(await signInternalToken(SECRET, 'disclosure', { audience: 'roster' })).context)).rejects.toMatchObject({ status: 401 });
    await expect(rotating.canActivate(presenting(await signInternalToken('x'.repeat(40), 'disclosure', { audience: 'roster' })).context)).rejects.toMatchObject({ status: 401 });
    // a wrong audience under the previous secret is refused for its audience, not retried into a pass
    await expect(rotating.canActivate(presenting(await signInternalToken(SECRET, 'disclosure', { audience: 'consent' })).context)).rejects.toMatchObject({ detail: expect.stringMatching(/aud/) });
  });

  it('does not sign a token that would live longer than 120 s', async () => {
    await expect(signInternalToken(SECRET, 'disclosure', { ttlSeconds: 121 })).rejects.toThrow(RangeError);
  });
});
