import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `npm run token` as a user runs it: a process of its own, with the secrets file under DATA_DIR.
const root = join(__dirname, '..');

interface Verified {
  readonly payload: Record<string, unknown> & { exp: number; iat: number };
  readonly protectedHeader: { alg: string };
}

/**
 * jose's jwtVerify, run in a plain node process: jose 6 is ESM-only, which jest's CommonJS
 * runtime cannot load on Node 20 (node itself can). Rejects with jose's message when it fails.
 */
function jwtVerify(token: string, secret: string, options: { issuer?: string; audience?: string } = {}): Promise<Verified> {
  const script = `
    import { jwtVerify } from 'jose';
    const [token, secret, options] = JSON.parse(process.argv[1]);
    jwtVerify(token, new TextEncoder().encode(secret), { ...options, algorithms: ['HS256'] })
      .then(({ payload, protectedHeader }) => console.log(JSON.stringify({ payload, protectedHeader })))
      .catch((error) => { console.error(error.message); process.exit(1); });`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify([token, secret, options])], {
    cwd: root,
    encoding: 'utf8',
  });
  return run.status === 0 ? Promise.resolve(JSON.parse(run.stdout) as Verified) : Promise.reject(new Error(run.stderr.trim()));
}

function token(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', join(root, 'scripts', 'token.ts'), ...args], {
    cwd: root,
    env: { ...withoutSecrets(process.env), SWC_NODE_PROJECT: join(root, 'tsconfig.json'), ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function withoutSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { JWT_SECRET: _j, INTERNAL_TOKEN_SECRET: _i, JWT_ISSUER: _s, JWT_AUDIENCE: _a, JWT_MAX_TOKEN_AGE: _m, ...rest } = env;
  return rest;
}

describe('npm run token', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'silta-token-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const secretsIn = (dir: string) => JSON.parse(readFileSync(join(dir, '.local-secrets.json'), 'utf8')) as Record<string, string>;

  it('prints only a token signed with the local secret, carrying the requested claims', async () => {
    const before = Math.floor(Date.now() / 1000);
    const run = token(['--role', 'curator', '--sub', 'p-1', '--org', 'welfare-area:demo', '--ttl', '2h'], { DATA_DIR: dataDir });

    expect(run).toMatchObject({ status: 0 });
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const secrets = secretsIn(dataDir);
    expect(statSync(join(dataDir, '.local-secrets.json')).mode & 0o777).toBe(0o600);
    expect(secrets.JWT_SECRET!.length).toBeGreaterThanOrEqual(32);
    expect(secrets.INTERNAL_TOKEN_SECRET).not.toEqual(secrets.JWT_SECRET);

    const { payload, protectedHeader } = await jwtVerify(run.stdout.trim(), secrets.JWT_SECRET!, {
      issuer: 'silta-local',
      audience: 'silta',
    });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: 'p-1', role: 'curator', org: 'welfare-area:demo', iss: 'silta-local', aud: 'silta' });
    expect(payload.exp - before).toBeGreaterThanOrEqual(2 * 3600);
    expect(payload.exp - before).toBeLessThan(2 * 3600 + 60);
  });

  it('reuses the secrets file, leaves org out when not given, and defaults to 8 hours', async () => {
    token(['--role', 'school_admin', '--sub', 'admin-1', '--org', 'municipality:demo'], { DATA_DIR: dataDir });
    const secrets = secretsIn(dataDir);

    const run = token(['--role', 'guardian', '--sub', 'guardian-1'], { DATA_DIR: dataDir });

    expect(run.status).toBe(0);
    expect(secretsIn(dataDir)).toEqual(secrets);
    const { payload } = await jwtVerify(run.stdout.trim(), secrets.JWT_SECRET!);
    expect(payload).not.toHaveProperty('org');
    expect(payload.exp - payload.iat).toBe(8 * 3600);
  });

  it('signs with JWT_SECRET, issuer and audience from the environment when they are set', async () => {
    const secret = 'an-environment-secret-of-at-least-32-chars';
    const run = token(['--role', 'auditor', '--sub', 'dpo-1', '--org', 'municipality:demo'], {
      DATA_DIR: dataDir,
      JWT_SECRET: secret,
      INTERNAL_TOKEN_SECRET: 'another-environment-secret-32-chars-long',
      JWT_ISSUER: 'https://idp.example.org',
      JWT_AUDIENCE: 'silta-test',
    });

    expect(run.status).toBe(0);
    await expect(
      jwtVerify(run.stdout.trim(), secret, { issuer: 'https://idp.example.org', audience: 'silta-test' }),
    ).resolves.toBeDefined();
    await expect(jwtVerify(run.stdout.trim(), 'some-other-secret-of-at-least-32-chars')).rejects.toThrow(/signature/);
    expect(() => statSync(join(dataDir, '.local-secrets.json'))).toThrow(/ENOENT/);
  });

  it('rejects an unknown role, naming it, and prints no token', () => {
    const run = token(['--role', 'janitor', '--sub', 'p-1'], { DATA_DIR: dataDir });

    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('unknown role "janitor"');
    expect(run.stderr).toContain('curator');
  });

  it('rejects a missing subject, a malformed org and a malformed lifetime', () => {
    const cases: Array<[string[], string]> = [
      [['--role', 'curator'], '--sub is required'],
      [['--role', 'curator', '--sub', 'p-1', '--org', 'demo'], '--org must look like'],
      [['--role', 'curator', '--sub', 'p-1', '--ttl', 'forever'], '--ttl must be a duration'],
      [['--role', 'curator', '--sub', 'p'.repeat(250)], '--sub: '],
      [['--role', 'curator', '--sub', 'p-1', '--org', `welfare-area:${'w'.repeat(200)}`], '--org must look like'],
    ];
    for (const [args, message] of cases) {
      const run = token(args, { DATA_DIR: dataDir });
      expect({ args, status: run.status, stdout: run.stdout }).toEqual({ args, status: 2, stdout: '' });
      expect(run.stderr).toContain(message);
    }
  });

  it('refuses a lifetime the apps would refuse (longer than JWT_MAX_TOKEN_AGE), and follows that variable', async () => {
    const tooLong = token(['--role', 'curator', '--sub', 'p-1', '--ttl', '13h'], { DATA_DIR: dataDir });
    expect({ status: tooLong.status, stdout: tooLong.stdout }).toEqual({ status: 2, stdout: '' });
    expect(tooLong.stderr).toContain('JWT_MAX_TOKEN_AGE, 43200 s');

    const allowed = token(['--role', 'curator', '--sub', 'p-1', '--ttl', '2d'], { DATA_DIR: dataDir, JWT_MAX_TOKEN_AGE: '3d' });
    expect(allowed.status).toBe(0);
    const { payload } = await jwtVerify(allowed.stdout.trim(), secretsIn(dataDir).JWT_SECRET!);
    expect(payload.exp - payload.iat).toBe(2 * 86_400);
  });
});
