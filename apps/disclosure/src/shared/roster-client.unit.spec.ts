import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceConfig } from '@silta/platform';
import { RosterClient } from './roster-client';

/**
 * What disclosure makes of roster's standing answer (a stand-in roster on a local port): a
 * well-formed answer is the standing; anything else, or no answer, is 502 roster_unavailable, so a
 * decision is never made on a guessed birth date or form of education (fail closed).
 */
describe("disclosure's roster client: the student's standing", () => {
  const standing = { birthDate: '2009-09-09', educationForm: 'adult_upper_secondary', inCompulsoryEducation: false };
  let answer: { status: number; body: string };
  let asked: { path?: string; authorization?: string } = {};
  let server: Server;
  let roster: RosterClient;

  beforeAll(async () => {
    server = createServer((request, response) => {
      asked = { path: request.url, authorization: request.headers.authorization };
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const config = { INTERNAL_TOKEN_SECRET: 's'.repeat(40), ROSTER_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } as ServiceConfig;
    roster = new RosterClient(config);
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("asks roster's standing endpoint with disclosure's service token and answers the standing", async () => {
    answer = { status: 200, body: JSON.stringify(standing) };

    expect(await roster.standing('st-1')).toEqual(standing);
    expect(asked.path).toBe('/internal/v1/students/st-1/standing');
    expect(asked.authorization).toMatch(/^Bearer /);
  });

  it.each([
    ['no education form', { birthDate: '2009-09-09', inCompulsoryEducation: false }],
    ['an unknown education form', { ...standing, educationForm: 'university' }],
    ['a birth date in another format', { ...standing, birthDate: '9.9.2009' }],
    ['compulsory education as a string', { ...standing, inCompulsoryEducation: 'false' }],
    ['no object at all', [standing]],
  ])('refuses a standing with %s as roster_unavailable', async (_what, body) => {
    answer = { status: 200, body: JSON.stringify(body) };

    await expect(roster.standing('st-1')).rejects.toMatchObject({ kind: 'upstream_failed', code: 'roster_unavailable' });
  });

  it.each([
    ['an error', { status: 500, body: '{}' }],
    ['student not found', { status: 404, body: JSON.stringify({ code: 'student_not_found' }) }],
    ['something other than JSON', { status: 200, body: '<html>' }],
  ])('answers roster_unavailable when roster answers %s', async (_what, given) => {
    answer = given;

    await expect(roster.standing('st-1')).rejects.toMatchObject({ kind: 'upstream_failed', code: 'roster_unavailable' });
  });

  it('answers roster_unavailable when roster cannot be reached', async () => {
    const unreachable = new RosterClient({ INTERNAL_TOKEN_SECRET: 's'.repeat(40), ROSTER_URL: 'http://127.0.0.1:9' } as ServiceConfig);

    await expect(unreachable.standing('st-1')).rejects.toMatchObject({ kind: 'upstream_failed', code: 'roster_unavailable' });
  });
});
