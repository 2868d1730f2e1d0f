import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { EventStore } from '@silta/event-store';
import { EVENT_STORE, signInternalToken, signUserToken, type InternalTokenOptions, type Role } from '@silta/platform';
import { createTestDatabase, quietNestLogger, serviceKafkaEnv, type TestDatabase } from '@silta/testing';

// Roster's int specs boot the same way: the app on real PostgreSQL and the real broker, users'
// tokens signed with a per-run secret, and the municipality's service secret for its callers.

/** An HTTP answer as the specs read it: status, content type and the parsed JSON body. */
export interface Answer {
  status: number;
  contentType: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RosterIntFixture {
  readonly app: INestApplication;
  readonly store: EventStore;
  /** A user's token as the identity provider signs it. */
  user(sub: string, role: Role, org?: string): Promise<string>;
  /** A service's token for roster's internal endpoints, signed with the municipality's secret. */
  service(caller: string, options?: InternalTokenOptions): Promise<string>;
  call(method: string, path: string, bearer: string | undefined, body?: unknown): Promise<Answer>;
  eventCount(): Promise<number>;
  /** Registers a school as `bearer`, its municipality's admin or SIS, failing the test unless roster creates it. */
  registerSchool(bearer: string, schoolId: string, name?: string): Promise<void>;
  /** Enrolls a student as `bearer`, failing the test unless roster enrolls it. */
  enroll(bearer: string, student: Enrolment): Promise<void>;
  /** Each case is refused with its status and code, as problem+json, and nothing is appended. */
  expectRefusedWritingNothing(cases: Array<[string, () => Promise<Answer>, number, string]>): Promise<void>;
  close(): Promise<void>;
}

/** What an enrolment names: the student, the school and the identification roster holds. */
export interface Enrolment {
  studentId: string;
  schoolId: string;
  name: string;
  birthDate: string;
  group: string;
}

/**
 * One test's own ids: every name gets the same fresh suffix, so a test makes the schools, students
 * and records it needs and never meets another test's (any test runs alone, or in any order).
 */
export function ownIds(): { readonly suffix: string; id(name: string): string } {
  const suffix = randomUUID().slice(0, 8);
  return { suffix, id: (name) => `${name}-${suffix}` };
}

/** Boots roster on a fresh database named `silta_<name>`; `requestId`, when given, goes on every call. */
export async function startRoster(name: string, options: { requestId?: string } = {}): Promise<RosterIntFixture> {
  const savedEnv = { ...process.env };
  const database: TestDatabase = await createTestDatabase(`silta_${name}`);
  const jwtSecret = randomBytes(32).toString('base64url');
  const internalSecret = randomBytes(32).toString('base64url');
  // PlatformModule.forService reads the configuration when the module is imported. Roster talks
  // to the broker as its own principal.
  Object.assign(process.env, { DATABASE_URL: database.url, ...serviceKafkaEnv('roster'), JWT_SECRET: jwtSecret, INTERNAL_TOKEN_SECRET: internalSecret, PORT: '0' });
  const { RosterModule } = await import('../roster.module');
  const app = await NestFactory.create(RosterModule, { logger: quietNestLogger() });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const store = app.get<EventStore>(EVENT_STORE);

  const call = async (method: string, path: string, bearer: string | undefined, body?: unknown): Promise<Answer> => {
    const headers: Record<string, string> = options.requestId ? { 'x-request-id': options.requestId } : {};
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
  };
  const eventCount = async () => (await store.readAll()).length;

  return {
    app,
    store,
    user: (sub, role, org) => signUserToken({ sub, role, org }, { secret: jwtSecret, issuer: 'silta-local', audience: 'silta' }),
    service: (caller, tokenOptions) => signInternalToken(internalSecret, caller, tokenOptions),
    call,
    eventCount,
    async registerSchool(bearer, schoolId, name = 'Koulu') {
      expect(await call('POST', '/v1/schools', bearer, { schoolId, name })).toMatchObject({ status: 201, body: { schoolId } });
    },
    async enroll(bearer, student) {
      expect(await call('POST', '/v1/students', bearer, student)).toMatchObject({ status: 201, body: { studentId: student.studentId } });
    },
    async expectRefusedWritingNothing(cases) {
      for (const [what, send, status, code] of cases) {
        const before = await eventCount();
        const answer = await send();
        expect({ what, status: answer.status, code: answer.body?.code }).toEqual({ what, status, code });
        expect(answer.contentType).toMatch(/^application\/problem\+json/);
        expect({ what, written: (await eventCount()) - before }).toEqual({ what, written: 0 });
      }
    },
    async close() {
      await app.close();
      await database.drop();
      process.env = savedEnv;
    },
  };
}
