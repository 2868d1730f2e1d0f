import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceConfig } from './config';
import { RosterInternalClient } from './roster-client';

/**
 * The standing read consent shares with disclosure (a stand-in roster on a local port): a student
 * roster does not hold as enrolled is no standing for a caller that refuses them on its own
 * grounds; any other failure stays a 502 roster_unavailable (fail closed). Disclosure's own spec
 * covers the malformed answers.
 */
describe("roster's internal client: a student roster does not hold", () => {
  let answer: { status: number; body: string };
  let subject: string | undefined;
  let server: Server;
  let roster: RosterInternalClient;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const payload = /^Bearer [^.]+\.([^.]+)\./.exec(request.headers.authorization ?? '')?.[1];
      subject = payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub?: string }).sub : undefined;
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const config = { INTERNAL_TOKEN_SECRET: 's'.repeat(40), ROSTER_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } as ServiceConfig;
    roster = new RosterInternalClient(config, 'consent');
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("asks with the caller's own service token", async () => {
    answer = { status: 200, body: JSON.stringify({ birthDate: '2008-01-11', educationForm: 'basic_education', inCompulsoryEducation: false }) };

    expect(await roster.enrolledStanding('st-1')).toMatchObject({ birthDate: '2008-01-11' });
    expect(subject).toBe('consent');
  });

  it("is no standing on roster's 404 student_not_found, and a 502 for standing()", async () => {
    answer = { status: 404, body: JSON.stringify({ status: 404, code: 'student_not_found' }) };

    expect(await roster.enrolledStanding('st-1')).toBeUndefined();
    await expect(roster.standing('st-1')).rejects.toMatchObject({ kind: 'upstream_failed', code: 'roster_unavailable' });
  });

  it.each([
    ['a 404 with another code', { status: 404, body: JSON.stringify({ code: 'not_found' }) }],
    ['a 404 that is not JSON', { status: 404, body: '<html>' }],
    ['a 403 (a caller roster does not admit)', { status: 403, body: JSON.stringify({ code: 'forbidden_caller' }) }],
  ])('answers roster_unavailable on %s', async (_what, given) => {
    answer = given;

    await expect(roster.enrolledStanding('st-1')).rejects.toMatchObject({ kind: 'upstream_failed', code: 'roster_unavailable' });
  });
});
