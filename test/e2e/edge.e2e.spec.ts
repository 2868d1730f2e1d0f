import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { signUserToken } from '@silta/platform';
import { createTestDatabase, type TestDatabase } from '@silta/testing';
import { startApp, testSecrets, type RunningApp } from './harness';

/**
 * The edge rules every app shares (issue 10, items 7, 9 and 10), on roster and consent as
 * processes started the way production starts them (bootstrapService), each on a fresh database:
 * odd input is a 4xx problem naming what is wrong, never a 5xx, and nothing is written.
 */
describe('the edge of every app', () => {
  const run = randomUUID().slice(0, 8);
  const municipality = `municipality:edge-${run}`;
  const secrets = testSecrets();
  const WRITES_PER_MINUTE = 10;
  let databases: Record<'roster' | 'consent', TestDatabase>;
  let roster: RunningApp;
  let consent: RunningApp;
  let admin: string;

  const user = (sub: string, options: { role?: 'school_admin' | 'guardian'; org?: string; expiresIn?: string | number } = {}) =>
    signUserToken(
      { sub, role: options.role ?? 'school_admin', org: options.role === 'guardian' ? undefined : (options.org ?? municipality) },
      { secret: secrets.JWT_SECRET, issuer: 'silta-local', audience: 'silta', expiresIn: options.expiresIn },
    );

  beforeAll(async () => {
    databases = { roster: await createTestDatabase('silta_e2e_edge_roster'), consent: await createTestDatabase('silta_e2e_edge_consent') };
    const env = { ...secrets, KAFKA_GROUP_SUFFIX: `-edge-${run}`, RATE_LIMIT_WRITES_PER_MINUTE: String(WRITES_PER_MINUTE) };
    roster = await startApp('roster', { ...env, DATABASE_URL: databases.roster.url });
    // Consent reads the student's birth date from roster's standing on grant.
    consent = await startApp('consent', { ...env, DATABASE_URL: databases.consent.url, ROSTER_URL: roster.url });
    admin = await user(`admin-${run}`);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([roster?.stop(), consent?.stop()]);
    await Promise.all(Object.values(databases ?? {}).map((db) => db.drop()));
  });

  /** Rows in an app's event store: a write is a new row. */
  async function events(app: 'roster' | 'consent'): Promise<number> {
    const client = new PgClient({ connectionString: databases[app].url });
    await client.connect();
    try {
      return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM silta_events')).rows[0]!.n);
    } finally {
      await client.end();
    }
  }

  interface Answer {
    readonly status: number;
    readonly headers: Headers;
    readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  /** One raw HTTP call: the body is sent exactly as given. */
  async function call(base: string, method: string, path: string, options: { token?: string; body?: string; type?: string } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.type) headers['content-type'] = options.type;
    const response = await fetch(`${base}${path}`, { method, headers, body: options.body });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body };
  }

  /** Calls roster (or consent) and checks the answer is the expected problem and that nothing was written. */
  async function refused(
    app: 'roster' | 'consent',
    method: string,
    path: string,
    options: { token?: string; body?: string; type?: string },
    expected: { status: number; code?: string },
  ): Promise<Answer> {
    const before = await events(app);
    const answer = await call(app === 'roster' ? roster.url : consent.url, method, path, options);
    expect({ status: answer.status, type: answer.headers.get('content-type'), code: answer.body?.code }).toEqual({
      status: expected.status,
      type: expect.stringContaining('application/problem+json'),
      code: expected.code ?? expect.any(String),
    });
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('x-powered-by')).toBeNull();
    expect(await events(app)).toBe(before);
    return answer;
  }

  const json = 'application/json';

  it('answers a body over the limit with 413 payload_too_large', async () => {
    const body = JSON.stringify({ schoolId: `big-${run}`, name: 'x'.repeat(300 * 1024) });
    await refused('roster', 'POST', '/v1/schools', { token: admin, body, type: json }, { status: 413, code: 'payload_too_large' });
  });

  it('answers malformed JSON with 400 saying it is not valid JSON', async () => {
    const answer = await refused('roster', 'POST', '/v1/schools', { token: admin, body: '{"schoolId": "s-1", ', type: json }, { status: 400 });
    expect(answer.body.detail).toMatch(/JSON/);
  });

  it.each([
    ['form-encoded', 'application/x-www-form-urlencoded', `schoolId=form-${run}&name=Form`],
    ['plain text', 'text/plain', JSON.stringify({ schoolId: `text-${run}`, name: 'Text' })],
    ['multipart', 'multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="schoolId"\r\n\r\nmp-${run}\r\n--x--\r\n`],
  ])('refuses a %s body with 415 on every app', async (_name, type, body) => {
    await refused('roster', 'POST', '/v1/schools', { token: admin, body, type }, { status: 415, code: 'unsupported_media_type' });
    const guardian = await user(`guardian-${run}`, { role: 'guardian' });
    await refused('consent', 'POST', '/v1/consents', { token: guardian, body, type }, { status: 415, code: 'unsupported_media_type' });
  });

  it('refuses a lone UTF-16 surrogate in a JSON body with 400 naming the field, before any handler', async () => {
    const body = `{"schoolId":"sur-${run}","name":"Koulu \\ud800"}`;
    const answer = await refused('roster', 'POST', '/v1/schools', { token: admin, body, type: json }, { status: 400, code: 'invalid_request' });
    expect(answer.body.errors).toEqual([{ field: 'name', in: 'body', message: expect.stringMatching(/surrogate/) }]);
    // Nested, in an array, and in a member name.
    const nested = `{"recipient":{"roles":["curator","\\udc00"]},"\\ud83d":1}`;
    const guardian = await user(`guardian-${run}`, { role: 'guardian' });
    const deep = await refused('consent', 'POST', '/v1/consents', { token: guardian, body: nested, type: json }, { status: 400, code: 'invalid_request' });
    expect(deep.body.errors.map((e: { field: string }) => e.field)).toEqual(['recipient.roles.1', '\ud83d (name)']);
  });

  it('refuses a lone surrogate in a path parameter or query with 400, never 5xx', async () => {
    await refused('roster', 'PUT', '/v1/students/%ED%A0%80/capacity', { token: admin, body: '{"decidesForSelf":true}', type: json }, { status: 400 });
    const guardian = await user(`guardian-${run}`, { role: 'guardian' });
    // Express decodes invalid UTF-8 in a query to U+FFFD, so no lone surrogate reaches a handler from the query.
    const query = await call(consent.url, 'GET', `/v1/students/s-${run}/consents?from=%ED%A0%80`, { token: guardian });
    expect(query.status).toBeLessThan(500);
  });

  it.each([
    ['NUL', 'a%00b'],
    ['CR LF', 'a%0D%0AX-Injected:%201'],
    ['a bidi override', '%E2%80%AEevil'],
    ['a space', 'a%20b'],
    ['250 characters', 'a'.repeat(250)],
  ])('refuses a *Id path parameter holding %s with 400 naming the parameter, before any handler or write', async (_name, id) => {
    const capacity = await refused('roster', 'PUT', `/v1/students/${id}/capacity`, { token: admin, body: '{"decidesForSelf":true}', type: json }, { status: 400, code: 'invalid_request' });
    expect(capacity.body.errors).toEqual([expect.objectContaining({ field: 'studentId', in: 'path' })]);
    const unlink = await refused('roster', 'DELETE', `/v1/students/s-${run}/guardians/${id}`, { token: admin }, { status: 400, code: 'invalid_request' });
    expect(unlink.body.errors).toEqual([expect.objectContaining({ field: 'guardianId', in: 'path' })]);
    // A read without a route-level id check of its own is refused at the edge just the same.
    const guardian = await user(`guardian-${run}`, { role: 'guardian' });
    const list = await refused('consent', 'GET', `/v1/students/${id}/consents`, { token: guardian }, { status: 400, code: 'invalid_request' });
    expect(list.body.detail).toContain('studentId');
  });

  it('refuses a ten-year token and a 250-character sub with 401 naming what is wrong', async () => {
    const body = JSON.stringify({ schoolId: `tok-${run}`, name: 'Token school' });
    const tenYears = await user(`admin-${run}`, { expiresIn: Math.floor(Date.now() / 1000) + 10 * 365 * 86_400 });
    const longLived = await refused('roster', 'POST', '/v1/schools', { token: tenYears, body, type: json }, { status: 401, code: 'invalid_token' });
    expect(longLived.body.detail).toMatch(/"exp" is more than/);
    const longSub = await user('p'.repeat(250));
    const answer = await refused('roster', 'POST', '/v1/schools', { token: longSub, body, type: json }, { status: 401, code: 'invalid_token' });
    expect(answer.body.detail).toContain('claim "sub"');
    const badOrg = await user(`admin-${run}`, { org: 'municipality:a b' });
    expect((await refused('roster', 'POST', '/v1/schools', { token: badOrg, body, type: json }, { status: 401 })).body.detail).toContain('claim "org"');
  });

  it('sends no X-Powered-By, and nosniff and a strict CSP, on every answer', async () => {
    for (const [base, path, token] of [
      [roster.url, '/health', undefined],
      [roster.url, '/openapi.json', undefined],
      [roster.url, '/no/such/route', admin],
      [roster.url, '/v1/schools', undefined],
      [consent.url, '/health', undefined],
    ] as const) {
      const answer = await call(base, 'GET', path, { token });
      expect({ path, poweredBy: answer.headers.get('x-powered-by'), nosniff: answer.headers.get('x-content-type-options') }).toEqual({ path, poweredBy: null, nosniff: 'nosniff' });
      expect(answer.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
  });

  it('limits each caller to RATE_LIMIT_WRITES_PER_MINUTE writes, then answers 429 with Retry-After and writes nothing', async () => {
    const busy = await user(`busy-admin-${run}`);
    const school = (i: number) => JSON.stringify({ schoolId: `rl-${run}-${i}`, name: `School ${i}` });
    for (let i = 0; i < WRITES_PER_MINUTE; i++) {
      const answer = await call(roster.url, 'POST', '/v1/schools', { token: busy, body: school(i), type: json });
      expect({ i, status: answer.status }).toEqual({ i, status: 201 });
    }
    const limited = await refused('roster', 'POST', '/v1/schools', { token: busy, body: school(99), type: json }, { status: 429, code: 'too_many_requests' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.detail).toMatch(/Retry-After/);
    // Reads are not limited, and the limit is the caller's own: another admin still writes.
    expect((await call(roster.url, 'GET', '/openapi.json', { token: busy })).status).toBe(200);
    const other = await user(`other-admin-${run}`);
    expect((await call(roster.url, 'POST', '/v1/schools', { token: other, body: school(100), type: json })).status).toBe(201);
  });
});
