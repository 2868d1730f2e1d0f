import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StudentStanding } from '@silta/contracts';

/**
 * A stand-in for roster's internal standing endpoint on a local port, for a service's int spec
 * that does not run roster itself: it answers the standings it holds, 404 `student_not_found` for
 * any other student (as roster does for one it does not hold as enrolled), and stops answering
 * (a closed port: roster down) once stopped.
 */
export interface StandInRoster {
  readonly url: string;
  /** The standing roster answers for a student, by id. */
  readonly standings: Map<string, StudentStanding>;
  /** The service each call named in its token's subject, latest last. */
  readonly callers: string[];
  stop(): Promise<void>;
}

export async function startStandInRoster(): Promise<StandInRoster> {
  const standings = new Map<string, StudentStanding>();
  const callers: string[] = [];
  const server = createServer((request, response) => {
    const token = /^Bearer [^.]+\.([^.]+)\./.exec(request.headers.authorization ?? '')?.[1];
    callers.push(token ? String((JSON.parse(Buffer.from(token, 'base64url').toString()) as { sub?: unknown }).sub) : '(none)');
    const studentId = /^\/internal\/v1\/students\/([^/]+)\/standing$/.exec(request.url ?? '')?.[1];
    const standing = studentId === undefined ? undefined : standings.get(decodeURIComponent(studentId));
    response
      .writeHead(standing ? 200 : 404, { 'content-type': standing ? 'application/json' : 'application/problem+json' })
      .end(JSON.stringify(standing ?? { status: 404, code: 'student_not_found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    standings,
    callers,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
