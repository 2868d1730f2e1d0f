import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { startIssuer } from '../scripts/local-issuer';
import { generateIssuerKey, issuerSpec, LOCAL_USER_GRANT, type IssuerName } from '../scripts/local-issuers';

// `npm run token` as a user runs it: a process of its own, asking the local issuers npm start runs.
// Here the issuers run in this process, each on a free port with a fresh key.
const root = join(__dirname, '..');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs scripts/token.ts without blocking this process's event loop (the issuers answer from it). */
function token(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'scripts', 'token.ts'), ...args], {
    cwd: root,
    env: { ...withoutSettings(process.env), SWC_NODE_PROJECT: join(root, 'tsconfig.json'), ...issuerPorts, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function withoutSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { JWT_SECRET: _j, JWT_ISSUER: _s, JWT_AUDIENCE: _a, JWT_MAX_TOKEN_AGE: _m, MUNICIPALITY_ISSUER_PORT: _p1, WELFARE_AREA_ISSUER_PORT: _p2, CITIZEN_ISSUER_PORT: _p3, ...rest } = env;
  return rest;
}

const issuers = {} as Record<IssuerName, { url: string; kid: string; close: () => Promise<void> }>;
const issuerPorts: Record<string, string> = {};

beforeAll(async () => {
  for (const name of ['municipality', 'welfare-area', 'citizen'] as const) {
    const spec = issuerSpec(name)!;
    const key = generateIssuerKey();
    const started = await startIssuer(spec, 0, key, () => undefined);
    issuers[name] = { ...started, kid: key.kid };
    issuerPorts[spec.portVariable] = new URL(started.url).port;
  }
});
afterAll(() => Promise.all(Object.values(issuers).map(({ close }) => close())));

/** Verifies as an app does: against the issuer's published JWKS, its exact iss, audience silta, EdDSA. */
async function verifyFrom(name: IssuerName, jwt: string) {
  const jwks = (await (await fetch(`${issuers[name].url}/jwks`)).json()) as JSONWebKeySet;
  return jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: issuers[name].url, audience: 'silta', algorithms: ['EdDSA'] });
}

describe('npm run token', () => {
  it("prints only a token from the named issuer: signed with its key, iss its URL, kid its key's", async () => {
    const before = Math.floor(Date.now() / 1000);
    const run = await token(['--issuer', 'welfare-area', '--role', 'curator', '--sub', 'p-1', '--org', 'welfare-area:demo', '--ttl', '2h']);

    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const { payload, protectedHeader } = await verifyFrom('welfare-area', run.stdout.trim());
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: issuers['welfare-area'].kid });
    expect(payload).toMatchObject({ sub: 'p-1', role: 'curator', org: 'welfare-area:demo', iss: issuers['welfare-area'].url, aud: 'silta' });
    expect(payload.exp! - payload.iat!).toBe(2 * 3600);
    expect(payload.iat! - before).toBeLessThan(60);
    // Another issuer's keys do not verify it.
    await expect(verifyFrom('municipality', run.stdout.trim())).rejects.toThrow();
  });

  it('picks the issuer from the role (and org) when --issuer is left out; citizens get no org; 8 hours by default', async () => {
    const guardian = await token(['--role', 'guardian', '--sub', 'guardian-1']);
    expect(guardian.status).toBe(0);
    const { payload } = await verifyFrom('citizen', guardian.stdout.trim());
    expect(payload).not.toHaveProperty('org');
    expect(payload.exp! - payload.iat!).toBe(8 * 3600);

    // An auditor works for either party: the org says which issuer.
    const auditor = await token(['--role', 'auditor', '--sub', 'dpo-1', '--org', 'municipality:demo']);
    expect(auditor.status).toBe(0);
    expect(decodeProtectedHeader(auditor.stdout.trim()).kid).toBe(issuers.municipality.kid);
    const unclear = await token(['--role', 'auditor', '--sub', 'dpo-1']);
    expect({ status: unclear.status, stdout: unclear.stdout }).toEqual({ status: 2, stdout: '' });
    expect(unclear.stderr).toContain('--issuer is needed');
  });

  it('refuses, with exit 2 and no token, a role or organisation the issuer may not assert, as the trust files would', async () => {
    const cases: Array<[string[], string]> = [
      [['--issuer', 'municipality', '--role', 'curator', '--sub', 'p-1', '--org', 'municipality:demo'], 'the municipality issuer may not assert role "curator"'],
      [['--issuer', 'welfare-area', '--role', 'school_admin', '--sub', 'p-1', '--org', 'welfare-area:demo'], 'may not assert role "school_admin"'],
      [['--issuer', 'citizen', '--role', 'curator', '--sub', 'p-1'], 'may not assert role "curator"'],
      [['--issuer', 'citizen', '--role', 'guardian', '--sub', 'g-1', '--org', 'municipality:demo'], 'asserts no organisation'],
      [['--issuer', 'welfare-area', '--role', 'curator', '--sub', 'p-1', '--org', 'welfare-area:elsewhere'], 'may not assert organisation "welfare-area:elsewhere"'],
      [['--issuer', 'welfare-area', '--role', 'curator', '--sub', 'p-1'], 'name an organisation'],
      [['--issuer', 'hospital', '--role', 'curator', '--sub', 'p-1'], 'unknown issuer "hospital"'],
    ];
    for (const [args, message] of cases) {
      const run = await token(args);
      expect({ args, status: run.status, stdout: run.stdout }).toEqual({ args, status: 2, stdout: '' });
      expect(run.stderr).toContain(message);
    }
  });

  it('is refused by the issuer itself too, at its token endpoint', async () => {
    const ask = (form: Record<string, string>) =>
      fetch(`${issuers.municipality.url}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: LOCAL_USER_GRANT, ...form }) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    expect(await ask({ sub: 'p-1', role: 'curator', org: 'municipality:demo' })).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    expect(await ask({ sub: 'p-1', role: 'service', org: 'municipality:demo' })).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    expect(await ask({ sub: 'p-1', role: 'sis', org: 'municipality:demo', ttl: String(13 * 3600) })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await ask({ sub: 'p-1', role: 'sis', org: 'municipality:demo' })).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 8 * 3600 } });
    const grant = await fetch(`${issuers.municipality.url}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'password', username: 'x' }) });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('serves an OpenID Connect discovery document and its JWKS, public key only', async () => {
    const url = issuers.citizen.url;
    const discovery = (await (await fetch(`${url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: url,
      jwks_uri: `${url}/jwks`,
      token_endpoint: `${url}/token`,
      authorization_endpoint: `${url}/authorize`,
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['EdDSA'],
    });
    expect(Array.isArray(discovery.response_types_supported)).toBe(true);
    const jwks = (await (await fetch(`${url}/jwks`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', kid: issuers.citizen.kid, alg: 'EdDSA', use: 'sig' })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('says which issuer does not answer, and where npm start would run it', async () => {
    const run = await token(['--issuer', 'citizen', '--role', 'student', '--sub', 's-1'], { CITIZEN_ISSUER_PORT: '1' });
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 1, stdout: '' });
    expect(run.stderr).toContain('the citizen issuer does not answer at http://127.0.0.1:1');
    expect(run.stderr).toContain('CITIZEN_ISSUER_PORT');
  });

  it('rejects an unknown role, a missing subject, a malformed org and a malformed or too long lifetime', async () => {
    const cases: Array<[string[], string]> = [
      [['--role', 'janitor', '--sub', 'p-1'], 'unknown role "janitor"'],
      [['--role', 'service', '--sub', 'p-1'], 'unknown role "service"'],
      [['--role', 'curator'], '--sub is required'],
      [['--role', 'curator', '--sub', 'p-1', '--org', 'demo'], '--org must look like'],
      [['--role', 'curator', '--sub', 'p-1', '--ttl', 'forever'], '--ttl must be a duration'],
      [['--role', 'curator', '--sub', 'p'.repeat(250)], '--sub: '],
      [['--role', 'curator', '--sub', 'p-1', '--org', `welfare-area:${'w'.repeat(200)}`], '--org must look like'],
      [['--role', 'curator', '--sub', 'p-1', '--org', 'welfare-area:demo', '--ttl', '13h'], 'longer than the issuers sign and the apps accept (12h)'],
    ];
    for (const [args, message] of cases) {
      const run = await token(args);
      expect({ args, status: run.status, stdout: run.stdout }).toEqual({ args, status: 2, stdout: '' });
      expect(run.stderr).toContain(message);
    }
    expect((await token(['--role', 'janitor', '--sub', 'p-1'])).stderr).toContain('curator');
  });

  describe('--hs256, for apps run by hand in the single-process local mode', () => {
    const secret = 'an-environment-secret-of-at-least-32-chars';

    it('signs with JWT_SECRET, JWT_ISSUER and JWT_AUDIENCE from the environment', async () => {
      const run = await token(['--hs256', '--role', 'auditor', '--sub', 'dpo-1', '--org', 'municipality:demo'], {
        JWT_SECRET: secret,
        JWT_ISSUER: 'https://idp.example.org',
        JWT_AUDIENCE: 'silta-test',
      });
      expect(run.status).toBe(0);
      const key = new TextEncoder().encode(secret);
      const { payload, protectedHeader } = await jwtVerify(run.stdout.trim(), key, { issuer: 'https://idp.example.org', audience: 'silta-test', algorithms: ['HS256'] });
      expect(protectedHeader.alg).toBe('HS256');
      expect(payload).toMatchObject({ sub: 'dpo-1', role: 'auditor', org: 'municipality:demo' });
      await expect(jwtVerify(run.stdout.trim(), new TextEncoder().encode('some-other-secret-of-at-least-32-chars'))).rejects.toThrow(/signature/);
    });

    it('needs JWT_SECRET in the environment, excludes --issuer, and follows JWT_MAX_TOKEN_AGE', async () => {
      const none = await token(['--hs256', '--role', 'curator', '--sub', 'p-1']);
      expect({ status: none.status, stdout: none.stdout }).toEqual({ status: 2, stdout: '' });
      expect(none.stderr).toContain('JWT_SECRET from the environment');

      const both = await token(['--hs256', '--issuer', 'welfare-area', '--role', 'curator', '--sub', 'p-1'], { JWT_SECRET: secret });
      expect(both.status).toBe(2);
      expect(both.stderr).toContain('exclude each other');

      const tooLong = await token(['--hs256', '--role', 'curator', '--sub', 'p-1', '--ttl', '13h'], { JWT_SECRET: secret });
      expect(tooLong.status).toBe(2);
      expect(tooLong.stderr).toContain('JWT_MAX_TOKEN_AGE, 43200 s');

      const allowed = await token(['--hs256', '--role', 'curator', '--sub', 'p-1', '--ttl', '2d'], { JWT_SECRET: secret, JWT_MAX_TOKEN_AGE: '3d' });
      expect(allowed.status).toBe(0);
      const { payload } = await jwtVerify(allowed.stdout.trim(), new TextEncoder().encode(secret));
      expect(payload.exp! - payload.iat!).toBe(2 * 86_400);
    });
  });
});
