import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StudentStanding } from '@silta/contracts';

/**
 * A stand-in for roster's internal standing and records endpoints on a local port, for a service's
 * int spec that does not run roster itself: it answers the standings and records it holds (records
 * only in the categories asked for), 404 `student_not_found` for any other student (as roster does
 * for one it does not hold as enrolled), and stops answering (a closed port: roster down) once stopped.
 */
export interface StandInRoster {
  readonly url: string;
  /** The standing roster answers for a student, by id. */
  readonly standings: Map<string, StudentStanding>;
  /** A student's data by category (`identification`, `absences`, ...), as roster's records endpoint answers it. */
  readonly records: Map<string, Record<string, unknown>>;
  /** The service each call named in its token's subject, latest last. */
  readonly callers: string[];
  stop(): Promise<void>;
}

export async function startStandInRoster(): Promise<StandInRoster> {
  const standings = new Map<string, StudentStanding>();
  const records = new Map<string, Record<string, unknown>>();
  const callers: string[] = [];
  const server = createServer((request, response) => {
    const token = /^Bearer [^.]+\.([^.]+)\./.exec(request.headers.authorization ?? '')?.[1];
    callers.push(token ? String((JSON.parse(Buffer.from(token, 'base64url').toString()) as { sub?: unknown }).sub) : '(none)');
    const url = new URL(request.url ?? '/', 'http://roster');
    const [, studentId, endpoint] = /^\/internal\/v1\/students\/([^/]+)\/(standing|records)$/.exec(url.pathname) ?? [];
    const student = studentId === undefined ? undefined : decodeURIComponent(studentId);
    const answer = student === undefined ? undefined : endpoint === 'standing' ? standings.get(student) : recordsIn(records.get(student), url.searchParams.get('categories'));
    response
      .writeHead(answer ? 200 : 404, { 'content-type': answer ? 'application/json' : 'application/problem+json' })
      .end(JSON.stringify(answer ?? { status: 404, code: 'student_not_found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    standings,
    records,
    callers,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

/** A student's records in the comma-separated categories asked for, as roster answers them. */
function recordsIn(held: Record<string, unknown> | undefined, categories: string | null): Record<string, unknown> | undefined {
  if (!held) return undefined;
  const asked = (categories ?? '').split(',').filter((category) => category in held);
  return Object.fromEntries(asked.map((category) => [category, held[category]]));
}
