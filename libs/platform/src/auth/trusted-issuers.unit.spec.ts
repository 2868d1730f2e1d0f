import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { dump as dumpYaml } from 'js-yaml';
import { SignJWT, base64url, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { ConfigError, type ServiceConfig } from '../config';
import { ProblemError, toProblem } from '../http/problem';
import { AuthGuard } from './auth.guard';
import { ROLES, type Role } from './principal';
import { ROLES_KEY } from './roles.decorator';
import { loadTrustedIssuers } from './trusted-issuers';
import { InvalidTokenError, IssuerKeysUnavailableError, TokenVerifier } from './token-verifier';

// Tokens from the identity providers of a party's trust file, verified with keys fetched over real
// HTTP from a JWKS server in this process (127.0.0.1, a random port).

type Alg = 'EdDSA' | 'ES256' | 'RS256';

interface SigningKey {
  readonly kid: string;
  readonly alg: Alg;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
}

async function makeKey(alg: Alg, kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, publicKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface TokenSpec {
  readonly iss: string;
  readonly sub?: string;
  readonly aud?: string;
  readonly claims?: Record<string, unknown>;
  readonly iat?: number;
  readonly exp?: number;
  readonly nbf?: number;
  /** The kid in the header; the key's own unless given; null for none. */
  readonly kid?: string | null;
}

function sign(key: SigningKey, spec: TokenSpec): Promise<string> {
  const kid = spec.kid === undefined ? key.kid : spec.kid;
  const jwt = new SignJWT(spec.claims ?? {})
    .setProtectedHeader({ alg: key.alg, ...(kid === null ? {} : { kid }), typ: 'JWT' })
    .setIssuer(spec.iss)
    .setSubject(spec.sub ?? 'p-1')
    .setAudience(spec.aud ?? 'silta')
    .setIssuedAt(spec.iat ?? now())
    .setExpirationTime(spec.exp ?? now() + 300);
  if (spec.nbf !== undefined) jwt.setNotBefore(spec.nbf);
  return jwt.sign(key.privateKey);
}

/** One HTTP server serving a JWKS per path, which tests change while verifiers run; counts fetches. */
class JwksServer {
  readonly sets = new Map<string, JWK[]>();
  readonly fetches = new Map<string, number>();
  private server!: Server;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const path = request.url ?? '/';
      this.fetches.set(path, (this.fetches.get(path) ?? 0) + 1);
      const keys = this.sets.get(path);
      if (!keys) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  publish(path: string, keys: SigningKey[]): string {
    this.sets.set(path, keys.map((k) => k.publicJwk));
    return `${this.base}${path}`;
  }

  fetchesOf(path: string): number {
    return this.fetches.get(path) ?? 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let dir: string;
let fileCount = 0;

/** Writes a trust file (YAML unless the extension says JSON) and returns its path. */
function writeTrustFile(document: unknown, extension = '.yaml'): string {
  const path = join(dir, `trust-${++fileCount}${extension}`);
  writeFileSync(path, extension === '.json' ? JSON.stringify(document) : dumpYaml(document));
  return path;
}

function configFor(path: string): Pick<ServiceConfig, 'TRUSTED_ISSUERS' | 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'JWT_MAX_TOKEN_AGE'> {
  return { TRUSTED_ISSUERS: path, JWT_SECRET: undefined, JWT_ISSUER: 'unused', JWT_AUDIENCE: 'unused', JWT_MAX_TOKEN_AGE: 12 * 3600 };
}

const jwks = new JwksServer();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'silta-trust-'));
  await jwks.start();
});
afterAll(async () => {
  await jwks.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a party trusting three issuers: municipality staff, the welfare area and citizens', () => {
  const MUNICIPALITY_ROLES: Role[] = ['school_admin', 'sis', 'auditor'];
  const WELFARE_ROLES: Role[] = ['welfare_admin', 'curator', 'psychologist', 'nurse', 'doctor', 'auditor'];
  const CITIZEN_ROLES: Role[] = ['guardian', 'student'];

  let verifier: TokenVerifier;
  const keys = {} as Record<'municipality' | 'welfareEs' | 'welfareRs' | 'citizen' | 'citizenEs' | 'stranger', SigningKey>;
  const iss = { municipality: '', 'welfare-area': '', citizen: '' };

  beforeAll(async () => {
    keys.municipality = await makeKey('EdDSA', 'm-ed-1');
    keys.welfareEs = await makeKey('ES256', 'w-es-1');
    keys.welfareRs = await makeKey('RS256', 'w-rs-1');
    keys.citizen = await makeKey('RS256', 'c-rs-1');
    keys.citizenEs = await makeKey('ES256', 'c-es-1');
    keys.stranger = await makeKey('RS256', 'stranger-1');
    iss.municipality = `${jwks.base}/municipality`;
    iss['welfare-area'] = `${jwks.base}/welfare-area`;
    iss.citizen = `${jwks.base}/citizen`;
    const path = writeTrustFile({
      issuers: [
        {
          name: 'municipality',
          issuer: iss.municipality,
          jwksUri: jwks.publish('/municipality/jwks', [keys.municipality]),
          audience: 'silta',
          roles: MUNICIPALITY_ROLES,
          organisations: ['municipality:m1'],
        },
        {
          name: 'welfare-area',
          issuer: iss['welfare-area'],
          jwksUri: jwks.publish('/welfare-area/jwks', [keys.welfareEs, keys.welfareRs]),
          audience: 'silta',
          algorithms: ['EdDSA', 'ES256', 'RS256'],
          roles: WELFARE_ROLES,
          organisations: ['welfare-area:w1'],
        },
        {
          name: 'citizen',
          issuer: iss.citizen,
          // The ES256 key is published, but this issuer's tokens may use RS256 only.
          jwksUri: jwks.publish('/citizen/jwks', [keys.citizen, keys.citizenEs]),
          audience: 'silta',
          algorithms: ['RS256'],
          roles: CITIZEN_ROLES,
        },
      ],
    });
    verifier = TokenVerifier.fromConfig(configFor(path));
  });

  describe('accepts each role and organisation exactly where the trust file allows', () => {
    // What the trust file above allows, written out: every other combination is refused.
    const ALLOWED = new Set([
      'municipality school_admin municipality:m1',
      'municipality sis municipality:m1',
      'municipality auditor municipality:m1',
      'welfare-area welfare_admin welfare-area:w1',
      'welfare-area curator welfare-area:w1',
      'welfare-area psychologist welfare-area:w1',
      'welfare-area nurse welfare-area:w1',
      'welfare-area doctor welfare-area:w1',
      'welfare-area auditor welfare-area:w1',
      'citizen guardian -',
      'citizen student -',
    ]);
    const ISSUERS = [
      { name: 'municipality', roles: MUNICIPALITY_ROLES, orgs: { own: 'municipality:m1', sameKind: 'municipality:m2', otherKind: 'welfare-area:w1' } },
      { name: 'welfare-area', roles: WELFARE_ROLES, orgs: { own: 'welfare-area:w1', sameKind: 'welfare-area:w2', otherKind: 'municipality:m1' } },
      // Citizens' issuer has no organisation of its own: both kinds are someone else's.
      { name: 'citizen', roles: CITIZEN_ROLES, orgs: { own: undefined, sameKind: 'welfare-area:w1', otherKind: 'municipality:m1' } },
    ] as const;
    const cases = ISSUERS.flatMap((issuer) =>
      ROLES.flatMap((role) =>
        (['own', 'sameKind', 'otherKind', 'none'] as const).flatMap((variant) => {
          const org = variant === 'none' ? undefined : issuer.orgs[variant];
          if (variant !== 'none' && org === undefined) return [];
          return [{ label: org ?? 'none', issuer: issuer.name, grantedRoles: issuer.roles as readonly Role[], role, variant, org, allowed: ALLOWED.has(`${issuer.name} ${role} ${org ?? '-'}`) }];
        }),
      ),
    );

    it('covers every role of every issuer, and allows 11 combinations', () => {
      expect(cases.filter((c) => c.allowed)).toHaveLength(ALLOWED.size);
      expect(new Set(cases.map((c) => c.role))).toEqual(new Set(ROLES));
    });

    it.each(cases)('$issuer asserting $role with org $label ($variant): allowed $allowed', async ({ issuer, grantedRoles, role, org, allowed }) => {
      const key = issuer === 'municipality' ? keys.municipality : issuer === 'citizen' ? keys.citizen : role.length % 2 ? keys.welfareEs : keys.welfareRs;
      const token = await sign(key, { iss: iss[issuer], sub: `${role}-1`, claims: { role, ...(org ? { org } : {}) } });
      const verified = verifier.verify(token);
      if (allowed) {
        await expect(verified).resolves.toEqual({ issuer, sub: `${role}-1`, role, org });
        return;
      }
      // The reason, as a caller would need it to understand the refusal.
      const reason = !grantedRoles.includes(role)
        ? `issuer ${issuer} may not assert role ${role}`
        : org === undefined
          ? `role ${role} acts for an organisation, and the token names none`
          : CITIZEN_ROLES.includes(role)
            ? `role ${role} carries no organisation, yet the token names ${org}`
            : `issuer ${issuer} may not assert organisation ${org}`;
      await expect(verified).rejects.toThrow(new InvalidTokenError(`token rejected: ${reason}`));
    });
  });

  describe('refuses, saying why', () => {
    it('a token from an issuer not in the trust file', async () => {
      const token = await sign(keys.stranger, { iss: 'https://evil.example.invalid', claims: { role: 'curator', org: 'welfare-area:w1' } });
      await expect(verifier.verify(token)).rejects.toThrow('token rejected: issuer "https://evil.example.invalid" is not trusted by this party');
    });

    it("a token naming a trusted issuer's label rather than its exact iss, and one naming no issuer", async () => {
      await expect(verifier.verify(await sign(keys.welfareEs, { iss: 'welfare-area', claims: { role: 'curator', org: 'welfare-area:w1' } }))).rejects.toThrow(
        'issuer "welfare-area" is not trusted by this party',
      );
      const noIssuer = await new SignJWT({ role: 'curator' }).setProtectedHeader({ alg: 'ES256', kid: 'w-es-1' }).setSubject('p-1').setAudience('silta').setIssuedAt().setExpirationTime('5m').sign(keys.welfareEs.privateKey);
      await expect(verifier.verify(noIssuer)).rejects.toThrow('token rejected: it names no issuer (claim "iss")');
    });

    it("a token signed with one trusted issuer's key that names another trusted issuer", async () => {
      // The municipality's key, the welfare area's iss: only the welfare area's keys count for it.
      const token = await sign(keys.municipality, { iss: iss['welfare-area'], claims: { role: 'curator', org: 'welfare-area:w1' } });
      await expect(verifier.verify(token)).rejects.toThrow('token rejected: no key of issuer welfare-area matches the token (kid "m-ed-1")');
      // Even under the kid of one of the welfare area's keys.
      const underTheirKid = await sign(keys.municipality, { iss: iss['welfare-area'], kid: 'w-es-1', claims: { role: 'curator', org: 'welfare-area:w1' } });
      await expect(verifier.verify(underTheirKid)).rejects.toThrow('token rejected: no key of issuer welfare-area matches the token (kid "w-es-1")');
      // And the municipality's own iss with a welfare area's org is outside its grant.
      await expect(verifier.verify(await sign(keys.municipality, { iss: iss.municipality, claims: { role: 'auditor', org: 'welfare-area:w1' } }))).rejects.toThrow(
        'issuer municipality may not assert organisation welfare-area:w1',
      );
    });

    it('a token whose kid the issuer does not publish', async () => {
      const token = await sign(keys.stranger, { iss: iss['welfare-area'], kid: 'w-unknown', claims: { role: 'curator', org: 'welfare-area:w1' } });
      await expect(verifier.verify(token)).rejects.toThrow('token rejected: no key of issuer welfare-area matches the token (kid "w-unknown")');
    });

    it("a token carrying the kid of the issuer's key but signed with another key", async () => {
      const token = await sign(keys.stranger, { iss: iss['welfare-area'], kid: 'w-rs-1', claims: { role: 'curator', org: 'welfare-area:w1' } });
      await expect(verifier.verify(token)).rejects.toThrow('token rejected: the signature does not verify with the key of issuer welfare-area (kid "w-rs-1")');
    });

    it('a token for another audience', async () => {
      const token = await sign(keys.welfareEs, { iss: iss['welfare-area'], aud: 'another-service', claims: { role: 'curator', org: 'welfare-area:w1' } });
      await expect(verifier.verify(token)).rejects.toThrow('token rejected (issuer welfare-area): unexpected "aud" claim value');
    });

    it('an expired token', async () => {
      const token = await sign(keys.welfareEs, { iss: iss['welfare-area'], iat: now() - 600, exp: now() - 10, claims: { role: 'curator', org: 'welfare-area:w1' } });
      await expect(verifier.verify(token)).rejects.toThrow('token rejected (issuer welfare-area): "exp" claim timestamp check failed');
    });

    it('a token not valid yet (nbf in the future)', async () => {
      const token = await sign(keys.welfareEs, { iss: iss['welfare-area'], nbf: now() + 120, claims: { role: 'curator', org: 'welfare-area:w1' } });
      await expect(verifier.verify(token)).rejects.toThrow('token rejected (issuer welfare-area): "nbf" claim timestamp check failed');
    });

    it('an unsigned token (alg none)', async () => {
      const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
      const payload = base64url.encode(JSON.stringify({ iss: iss['welfare-area'], sub: 'p-1', aud: 'silta', iat: now(), exp: now() + 300, role: 'curator', org: 'welfare-area:w1' }));
      await expect(verifier.verify(`${header}.${payload}.`)).rejects.toThrow('token rejected: algorithm "none" is not accepted from issuer welfare-area');
    });

    it("an HS256 token whose secret is the issuer's public key (algorithm confusion)", async () => {
      const claims = { role: 'curator', org: 'welfare-area:w1' };
      const secrets = [JSON.stringify(keys.welfareRs.publicJwk), await exportSPKI(keys.welfareRs.publicKey), keys.welfareRs.publicJwk.n!];
      for (const secret of secrets) {
        const token = await new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', kid: 'w-rs-1' })
          .setIssuer(iss['welfare-area'])
          .setSubject('p-1')
          .setAudience('silta')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(secret));
        await expect(verifier.verify(token)).rejects.toThrow('token rejected: algorithm "HS256" is not accepted from issuer welfare-area');
      }
    });

    it('a token in an algorithm the issuer publishes a key for but the trust file does not allow it', async () => {
      const token = await sign(keys.citizenEs, { iss: iss.citizen, claims: { role: 'guardian' } });
      await expect(verifier.verify(token)).rejects.toThrow('token rejected: algorithm "ES256" is not accepted from issuer citizen (RS256)');
    });

    it.each([
      ['school_admin of its own welfare area', { role: 'school_admin', org: 'welfare-area:w1' }, 'issuer welfare-area may not assert role school_admin'],
      ['school_admin of the municipality', { role: 'school_admin', org: 'municipality:m1' }, 'issuer welfare-area may not assert role school_admin'],
      ['auditor of the municipality', { role: 'auditor', org: 'municipality:m1' }, 'issuer welfare-area may not assert organisation municipality:m1'],
      ["a curator of another welfare area's", { role: 'curator', org: 'welfare-area:w2' }, 'issuer welfare-area may not assert organisation welfare-area:w2'],
    ])('the welfare area asserting %s', async (_name, claims, reason) => {
      const token = await sign(keys.welfareRs, { iss: iss['welfare-area'], claims });
      await expect(verifier.verify(token)).rejects.toThrow(`token rejected: ${reason}`);
    });

    it('the citizen issuer asserting a curator, with or without an organisation', async () => {
      for (const claims of [{ role: 'curator' }, { role: 'curator', org: 'welfare-area:w1' }]) {
        const token = await sign(keys.citizen, { iss: iss.citizen, claims });
        await expect(verifier.verify(token)).rejects.toThrow('token rejected: issuer citizen may not assert role curator');
      }
    });

    it('the municipality asserting the service role', async () => {
      const token = await sign(keys.municipality, { iss: iss.municipality, claims: { role: 'service', org: 'municipality:m1' } });
      await expect(verifier.verify(token)).rejects.toThrow('token rejected: issuer municipality may not assert role service');
    });

    it('an organisation claim that is not a string, and a role claim that is not a role', async () => {
      await expect(verifier.verify(await sign(keys.municipality, { iss: iss.municipality, claims: { role: 'sis', org: ['municipality:m1'] } }))).rejects.toThrow(
        'token rejected: claim "org": must be a string',
      );
      await expect(verifier.verify(await sign(keys.municipality, { iss: iss.municipality, claims: { role: 'superuser', org: 'municipality:m1' } }))).rejects.toThrow(
        'token rejected: claim "role" names no Silta role',
      );
      await expect(verifier.verify(await sign(keys.municipality, { iss: iss.municipality, claims: { role: 7, org: 'municipality:m1' } }))).rejects.toThrow(
        'token rejected: claim "role" must hold the role',
      );
    });

    it('a role claim naming two Silta roles (ambiguous)', async () => {
      const token = await sign(keys.welfareEs, { iss: iss['welfare-area'], claims: { role: ['curator', 'auditor'], org: 'welfare-area:w1' } });
      await expect(verifier.verify(token)).rejects.toThrow('token rejected: claim "role" names curator and auditor: ambiguous, a token acts in exactly one role');
      const same = await sign(keys.welfareEs, { iss: iss['welfare-area'], claims: { role: ['curator', 'curator', 'staff'], org: 'welfare-area:w1' } });
      await expect(verifier.verify(same)).resolves.toMatchObject({ role: 'curator' });
    });
  });

  describe('the AuthGuard', () => {
    function contextFor(authorization: string): { context: ExecutionContext; request: { headers: Record<string, string>; principal?: unknown } } {
      const request = { headers: { authorization } as Record<string, string>, principal: undefined as unknown };
      const context = {
        getHandler: () => contextFor,
        getClass: () => AuthGuard,
        switchToHttp: () => ({ getRequest: () => request }),
      } as unknown as ExecutionContext;
      return { context, request };
    }
    const reflector = { getAllAndOverride: (key: string) => (key === ROLES_KEY ? ['curator'] : undefined) } as unknown as Reflector;

    it('answers a refused token with a 401 problem whose detail carries the reason', async () => {
      const guard = new AuthGuard(reflector, verifier);
      const token = await sign(keys.citizen, { iss: iss.citizen, claims: { role: 'curator' } });
      const refusal = await guard.canActivate(contextFor(`Bearer ${token}`).context).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(ProblemError);
      expect(toProblem(refusal)).toMatchObject({ status: 401, code: 'invalid_token', detail: 'token rejected: issuer citizen may not assert role curator' });
    });

    it('lets an accepted token through with its principal, issuer included', async () => {
      const guard = new AuthGuard(reflector, verifier);
      const { context, request } = contextFor(`Bearer ${await sign(keys.welfareRs, { iss: iss['welfare-area'], sub: 'c-9', claims: { role: 'curator', org: 'welfare-area:w1' } })}`);
      await expect(guard.canActivate(context)).resolves.toBe(true);
      expect(request.principal).toEqual({ issuer: 'welfare-area', sub: 'c-9', role: 'curator', org: 'welfare-area:w1' });
    });

    it("answers 503 (not 401) while an issuer's keys cannot be fetched", async () => {
      const key = await makeKey('ES256', 'down-1');
      const unreachable = new JwksServer();
      await unreachable.start();
      const jwksUri = unreachable.publish('/jwks', [key]);
      await unreachable.close();
      const path = writeTrustFile({ issuers: [{ name: 'down', issuer: 'https://down.example', jwksUri, audience: 'silta', roles: ['curator'], organisations: ['welfare-area:d1'] }] });
      const down = TokenVerifier.fromConfig(configFor(path));
      const token = await sign(key, { iss: 'https://down.example', claims: { role: 'curator', org: 'welfare-area:d1' } });
      await expect(down.verify(token)).rejects.toBeInstanceOf(IssuerKeysUnavailableError);
      const refusal = await new AuthGuard(reflector, down).canActivate(contextFor(`Bearer ${token}`).context).catch((error: unknown) => error);
      expect(toProblem(refusal)).toMatchObject({ status: 503, code: 'issuer_keys_unavailable', detail: 'the keys of issuer down cannot be fetched right now; retry later' });
    });

    it('treats a JWKS endpoint answering an error as unavailable keys', async () => {
      const key = await makeKey('ES256', 'broken-1');
      const path = writeTrustFile({ issuers: [{ name: 'broken', issuer: 'https://broken.example', jwksUri: `${jwks.base}/not-published`, audience: 'silta', roles: ['nurse'], organisations: ['welfare-area:b1'] }] });
      const broken = TokenVerifier.fromConfig(configFor(path));
      await expect(broken.verify(await sign(key, { iss: 'https://broken.example', claims: { role: 'nurse', org: 'welfare-area:b1' } }))).rejects.toThrow(
        'the keys of issuer broken cannot be fetched right now',
      );
    });
  });
});

describe('key rotation and removal, without a restart', () => {
  const claims = { role: 'curator', org: 'welfare-area:r1' };

  function trustRotating(path: string, issuer: string, extra: Record<string, unknown>): TokenVerifier {
    const file = writeTrustFile({ issuers: [{ name: 'rotating', issuer, jwksUri: `${jwks.base}${path}`, audience: 'silta', roles: ['curator'], organisations: ['welfare-area:r1'], ...extra }] });
    return TokenVerifier.fromConfig(configFor(file));
  }

  it('accepts a token signed with a newly published key (new kid) on the same verifier, fetching at most once per cooldown', async () => {
    const iss = 'https://rotating.example/a';
    const old = await makeKey('EdDSA', 'rot-1');
    const fresh = await makeKey('EdDSA', 'rot-2');
    jwks.publish('/rotate-a', [old]);
    const verifier = trustRotating('/rotate-a', iss, { jwksCooldownSeconds: 1 });

    await expect(verifier.verify(await sign(old, { iss, claims }))).resolves.toMatchObject({ role: 'curator' });
    expect(jwks.fetchesOf('/rotate-a')).toBe(1);

    // The issuer publishes its next key, then signs with it.
    jwks.publish('/rotate-a', [old, fresh]);
    const withNewKey = await sign(fresh, { iss, claims });
    // Within the cooldown after the last fetch, an unknown kid does not reach the issuer again:
    // a flood of made-up kids costs it one request per cooldown.
    await expect(verifier.verify(withNewKey)).rejects.toThrow('no key of issuer rotating matches the token (kid "rot-2")');
    await expect(verifier.verify(await sign(fresh, { iss, kid: 'made-up', claims }))).rejects.toThrow('kid "made-up"');
    expect(jwks.fetchesOf('/rotate-a')).toBe(1);

    await sleep(1_100);
    await expect(verifier.verify(withNewKey)).resolves.toEqual({ issuer: 'rotating', sub: 'p-1', role: 'curator', org: 'welfare-area:r1' });
    expect(jwks.fetchesOf('/rotate-a')).toBe(2);
    // Both keys stay good while both are published.
    await expect(verifier.verify(await sign(old, { iss, claims }))).resolves.toMatchObject({ role: 'curator' });
  });

  it('refuses tokens of a key the issuer removed once the cached keys are older than jwksCacheMaxAgeSeconds, even a token accepted before', async () => {
    const iss = 'https://rotating.example/b';
    const old = await makeKey('ES256', 'rot-b-1');
    const next = await makeKey('ES256', 'rot-b-2');
    jwks.publish('/rotate-b', [old, next]);
    const verifier = trustRotating('/rotate-b', iss, { jwksCacheMaxAgeSeconds: 1 });

    const accepted = await sign(old, { iss, claims });
    await expect(verifier.verify(accepted)).resolves.toMatchObject({ role: 'curator' });

    jwks.publish('/rotate-b', [next]);
    await sleep(1_100);
    await expect(verifier.verify(accepted)).rejects.toThrow('token rejected: no key of issuer rotating matches the token (kid "rot-b-1")');
    await expect(verifier.verify(await sign(old, { iss, claims }))).rejects.toThrow('kid "rot-b-1"');
    await expect(verifier.verify(await sign(next, { iss, claims }))).resolves.toMatchObject({ role: 'curator' });
  });

  it('verifies a token without kid against each of several keys of its algorithm (as mid-rotation)', async () => {
    const iss = 'https://rotating.example/c';
    const first = await makeKey('RS256', 'rot-c-1');
    const second = await makeKey('RS256', 'rot-c-2');
    const stranger = await makeKey('RS256', 'rot-c-x');
    jwks.publish('/rotate-c', [first, second]);
    const verifier = trustRotating('/rotate-c', iss, {});
    await expect(verifier.verify(await sign(second, { iss, kid: null, claims }))).resolves.toMatchObject({ role: 'curator' });
    await expect(verifier.verify(await sign(stranger, { iss, kid: null, claims }))).rejects.toThrow('the signature does not verify with the key of issuer rotating (no kid)');
  });

  it('uses static keys from the trust file, which need no fetch', async () => {
    const iss = 'https://static.example';
    const key = await makeKey('EdDSA', 'static-1');
    const other = await makeKey('EdDSA', 'static-2');
    const file = writeTrustFile({ issuers: [{ name: 'static', issuer: iss, keys: [key.publicJwk], audience: 'silta', roles: ['nurse'], organisations: ['welfare-area:s1'] }] }, '.json');
    const verifier = TokenVerifier.fromConfig(configFor(file));
    await expect(verifier.verify(await sign(key, { iss, claims: { role: 'nurse', org: 'welfare-area:s1' } }))).resolves.toEqual({ issuer: 'static', sub: 'p-1', role: 'nurse', org: 'welfare-area:s1' });
    await expect(verifier.verify(await sign(other, { iss, claims: { role: 'nurse', org: 'welfare-area:s1' } }))).rejects.toThrow('no key of issuer static matches the token (kid "static-2")');
  });
});

describe("mapping an issuer's own claims to Silta's", () => {
  const iss = 'https://hr.example';
  let verifier: TokenVerifier;
  let key: SigningKey;

  beforeAll(async () => {
    key = await makeKey('ES256', 'hr-1');
    const file = writeTrustFile({
      issuers: [
        {
          name: 'hr',
          issuer: iss,
          keys: [key.publicJwk],
          audience: 'silta',
          roles: ['curator', 'psychologist'],
          organisations: ['welfare-area:x1'],
          claims: { role: 'groups', organisation: 'tenant', roleValues: { Kuraattori: 'curator', Psykologi: 'psychologist' } },
        },
      ],
    });
    verifier = TokenVerifier.fromConfig(configFor(file));
  });

  it.each([
    ['an array holding one mapped value among others', { groups: ['staff', 'Kuraattori'], tenant: 'welfare-area:x1' }, 'curator'],
    ['a string', { groups: 'Psykologi', tenant: 'welfare-area:x1' }, 'psychologist'],
    ['the same mapped value twice', { groups: ['Kuraattori', 'Kuraattori'], tenant: 'welfare-area:x1' }, 'curator'],
  ])('takes the role from %s', async (_name, claims, role) => {
    await expect(verifier.verify(await sign(key, { iss, claims }))).resolves.toEqual({ issuer: 'hr', sub: 'p-1', role, org: 'welfare-area:x1' });
  });

  it.each([
    ['two values mapping to different roles', { groups: ['Kuraattori', 'Psykologi'], tenant: 'welfare-area:x1' }, 'claim "groups" names curator and psychologist: ambiguous'],
    ['a Silta role name the mapping does not list', { groups: ['curator'], tenant: 'welfare-area:x1' }, 'claim "groups" names no Silta role'],
    ['the role in the default claim instead of the configured one', { role: 'curator', tenant: 'welfare-area:x1' }, 'claim "groups" must hold the role'],
    ['a mapping key inherited by every object', { groups: ['constructor', '__proto__'], tenant: 'welfare-area:x1' }, 'claim "groups" names no Silta role'],
    ['the organisation in the default claim instead of the configured one', { groups: 'Kuraattori', org: 'welfare-area:x1' }, 'role curator acts for an organisation, and the token names none'],
  ])('refuses %s', async (_name, claims, reason) => {
    await expect(verifier.verify(await sign(key, { iss, claims }))).rejects.toThrow(reason);
  });
});

describe('an issuer granted organisations of both kinds', () => {
  it('lets each role act only for the kind of organisation it belongs to', async () => {
    const iss = 'https://regional.example';
    const key = await makeKey('ES256', 'regional-1');
    const file = writeTrustFile({
      issuers: [{ name: 'regional', issuer: iss, keys: [key.publicJwk], audience: 'silta', roles: ['auditor', 'curator', 'sis'], organisations: ['municipality:mx', 'welfare-area:wx'] }],
    });
    const verifier = TokenVerifier.fromConfig(configFor(file));
    const as = async (role: string, org: string) => verifier.verify(await sign(key, { iss, sub: `${role}-${org}`, claims: { role, org } }));
    await expect(as('auditor', 'municipality:mx')).resolves.toMatchObject({ role: 'auditor', org: 'municipality:mx' });
    await expect(as('auditor', 'welfare-area:wx')).resolves.toMatchObject({ role: 'auditor', org: 'welfare-area:wx' });
    await expect(as('curator', 'welfare-area:wx')).resolves.toMatchObject({ role: 'curator' });
    await expect(as('sis', 'municipality:mx')).resolves.toMatchObject({ role: 'sis' });
    await expect(as('curator', 'municipality:mx')).rejects.toThrow('token rejected: role curator is not a role of municipality:mx (it needs a welfare-area)');
    await expect(as('sis', 'welfare-area:wx')).rejects.toThrow('token rejected: role sis is not a role of welfare-area:wx (it needs a municipality)');
  });
});

describe('trust file validation at boot', () => {
  /** A valid trust file with one welfare-area issuer; each case changes one thing. */
  function valid(): { issuers: Array<Record<string, unknown>> } {
    return {
      issuers: [
        {
          name: 'welfare-area',
          issuer: 'https://idp.welfare-area.example',
          jwksUri: 'https://idp.welfare-area.example/jwks',
          audience: 'silta',
          roles: ['welfare_admin', 'curator', 'auditor'],
          organisations: ['welfare-area:w1'],
        },
      ],
    };
  }
  const municipality = { name: 'municipality', issuer: 'https://idp.municipality.example', jwksUri: 'https://idp.municipality.example/jwks', audience: 'silta', roles: ['school_admin'], organisations: ['municipality:m1'] };
  const citizen = { name: 'citizen', issuer: 'https://tunnistus.example', jwksUri: 'https://tunnistus.example/jwks', audience: 'silta', roles: ['guardian', 'student'] };

  function bootError(document: unknown, extension = '.yaml'): { path: string; error: unknown } {
    const path = writeTrustFile(document, extension);
    try {
      loadTrustedIssuers(path);
      return { path, error: undefined };
    } catch (error) {
      return { path, error };
    }
  }

  const withIssuer = (change: Record<string, unknown>, drop: string[] = []) => {
    const document = valid();
    const entry = { ...document.issuers[0]!, ...change };
    for (const field of drop) delete entry[field];
    return { issuers: [entry] };
  };

  it('loads a valid file, YAML or JSON, with the defaults filled in', () => {
    for (const extension of ['.yaml', '.json']) {
      const [issuer] = loadTrustedIssuers(writeTrustFile({ issuers: [...valid().issuers, municipality, citizen] }, extension));
      expect(issuer).toMatchObject({ name: 'welfare-area', algorithms: ['EdDSA', 'ES256', 'RS256'], claims: { role: 'role', organisation: 'org', roleValues: undefined } });
      expect(issuer!.keys).toMatchObject({ kind: 'jwks-uri', cacheMaxAgeSeconds: 600, cooldownSeconds: 30 });
    }
  });

  it.each([
    ['an unknown field', withIssuer({ rolez: ['curator'] }), 'issuers[0].rolez: unknown field'],
    ['an unknown top-level field', { ...valid(), trustEveryone: true }, 'trustEveryone: unknown field'],
    ['an unknown field under claims', withIssuer({ claims: { roles: 'groups' } }), 'issuers[0].claims.roles: unknown field'],
    ['HS256 in algorithms', withIssuer({ algorithms: ['ES256', 'HS256'] }), 'issuers[0].algorithms[1]: HS256 is never accepted from an issuer'],
    ['none in algorithms', withIssuer({ algorithms: ['none'] }), 'issuers[0].algorithms[0]: "none" is not accepted'],
    ['an empty algorithms list', withIssuer({ algorithms: [] }), 'issuers[0].algorithms:'],
    ['both jwksUri and keys', withIssuer({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc' }] }), 'issuers[0].keys: give jwksUri or keys, not both'],
    ['neither jwksUri nor keys', withIssuer({}, ['jwksUri']), 'issuers[0].jwksUri: jwksUri or keys: one of them is required'],
    ['a JWKS over plain http to another host', withIssuer({ jwksUri: 'http://idp.welfare-area.example/jwks' }), 'issuers[0].jwksUri: an https URL'],
    ['a symmetric key', withIssuer({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }, ['jwksUri']), 'issuers[0].keys[0].kty: a symmetric key (oct) is never trusted'],
    ['a private key', withIssuer({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc', d: 'def' }] }, ['jwksUri']), 'issuers[0].keys[0].d: a private key member'],
    ['a cache age with static keys', withIssuer({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc' }], jwksCacheMaxAgeSeconds: 60 }, ['jwksUri']), 'issuers[0].jwksCacheMaxAgeSeconds: only with jwksUri'],
    ['an unknown role', withIssuer({ roles: ['superuser'] }), 'issuers[0].roles[0]: "superuser" is not a Silta role'],
    ['the service role', withIssuer({ roles: ['service', 'curator'] }), "issuers[0].roles[0]: service is Silta's own service identity"],
    ['a role listed twice', withIssuer({ roles: ['curator', 'curator'] }), 'issuers[0].roles[1]: "curator" is listed twice'],
    ['citizens and staff from one issuer', withIssuer({ roles: ['guardian', 'curator'] }), 'issuers[0].roles: an issuer of guardian (no organisation) cannot also grant organisation roles (curator)'],
    ['citizens with organisations', { issuers: [{ ...citizen, organisations: ['welfare-area:w1'] }] }, 'issuers[0].organisations: guardian and student carry no organisation'],
    ['staff without organisations', withIssuer({}, ['organisations']), 'issuers[0].organisations: roles welfare_admin, curator, auditor act for an organisation'],
    ['a welfare role for a municipality', { issuers: [{ ...municipality, roles: ['curator'] }] }, 'issuers[0].roles[0]: curator needs a welfare-area organisation, and this issuer grants none'],
    ['welfare_admin for a municipality', { issuers: [{ ...municipality, roles: ['school_admin', 'welfare_admin'] }] }, 'issuers[0].roles[1]: welfare_admin needs a welfare-area organisation'],
    ['a municipality role for a welfare area', withIssuer({ roles: ['school_admin', 'curator'] }), 'issuers[0].roles[0]: school_admin needs a municipality organisation'],
    ['an organisation no granted role acts for', withIssuer({ organisations: ['welfare-area:w1', 'municipality:m1'], roles: ['curator'] }), 'issuers[0].organisations[1]: no role this issuer grants acts for a municipality (municipality:m1)'],
    ['an organisation not of either kind', withIssuer({ organisations: ['school:1'] }), 'issuers[0].organisations[0]: must be municipality:<id> or welfare-area:<id>'],
    ['overlapping organisations of two issuers', { issuers: [...valid().issuers, { ...municipality, organisations: ['municipality:m1', 'welfare-area:w1'], roles: ['auditor'] }] }, 'issuers[1].organisations[1]: welfare-area:w1 is also granted to issuers[0] (welfare-area): one issuer per organisation'],
    ['two entries for one issuer', { issuers: [...valid().issuers, { ...municipality, issuer: 'https://idp.welfare-area.example' }] }, 'issuers[1].issuer: "https://idp.welfare-area.example" is also issuers[0]'],
    ['two citizen issuers', { issuers: [...valid().issuers, citizen, { ...citizen, name: 'citizen-2', issuer: 'https://tunnistus-2.example', jwksUri: 'https://tunnistus-2.example/jwks', roles: ['guardian'] }] }, 'issuers[2].roles: issuers[1] (citizen) already asserts guardian and student: one citizen issuer per party'],
    ['two issuers with one name', { issuers: [...valid().issuers, { ...municipality, name: 'welfare-area' }] }, 'issuers[1].name: "welfare-area" is also the name of issuers[0]'],
    ['a role value mapped to a role the issuer may not assert', withIssuer({ claims: { roleValues: { Rehtori: 'school_admin' } } }), 'issuers[0].claims.roleValues.Rehtori: maps to school_admin, which this issuer may not assert'],
    ['a registered claim as the role claim', withIssuer({ claims: { role: 'sub' } }), 'issuers[0].claims.role: a registered claim'],
    ['no issuers', { issuers: [] }, 'issuers:'],
  ])('refuses %s, naming the field and the file', (_name, document, message) => {
    const { path, error } = bootError(document);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toContainEqual(expect.stringContaining(`TRUSTED_ISSUERS (${path}): ${message}`));
  });

  it('allows an auditor of either kind of organisation, each from its own issuer', () => {
    expect(() => loadTrustedIssuers(writeTrustFile({ issuers: [{ ...municipality, roles: ['auditor'] }, withIssuer({ roles: ['auditor'] }).issuers[0]] }))).not.toThrow();
  });

  it('refuses a file it cannot read or parse, or of another type', () => {
    const missing = join(dir, 'absent.yaml');
    expect(() => loadTrustedIssuers(missing)).toThrow(`TRUSTED_ISSUERS (${missing}): (file): cannot read it (ENOENT)`);
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'issuers: [ {name: x\n');
    expect(() => loadTrustedIssuers(broken)).toThrow(`TRUSTED_ISSUERS (${broken}): (file): not valid YAML`);
    const text = join(dir, 'trust.txt');
    writeFileSync(text, '{}');
    expect(() => loadTrustedIssuers(text)).toThrow('(file): unsupported file type ".txt"');
  });

  it('fails TokenVerifier.fromConfig at boot with the same ConfigError', () => {
    const path = writeTrustFile(withIssuer({ algorithms: ['HS256'] }));
    expect(() => TokenVerifier.fromConfig(configFor(path))).toThrow(ConfigError);
  });
});
