import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { Kafka, Message, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ContractRegistry, MessageHeaders, Topics, rosterContracts, type StudentStanding } from '@silta/contracts';
import type { EventStore } from '@silta/event-store';
import { ProcessedEventEntity, ensureTopic } from '@silta/messaging';
import { EVENT_STORE, type Role, type SignOptions } from '@silta/platform';
import { contractMessage, createTestDatabase, eventually, listenInProcess, serviceKafkaEnv, startStandInRoster, testIssuer, testKafka, uniqueName, type JsonAnswer, type StandInRoster, type TestDatabase } from '@silta/testing';

// Consent's int specs boot the same way: the app on real PostgreSQL and the real broker, with the
// test standing in for roster (forging its messages on silta.roster.v1, `admin`) and for roster's
// standing endpoint (a stand-in on a local port), and users' tokens signed with a per-run secret.

const rosterRegistry = new ContractRegistry(rosterContracts);

/** An HTTP answer as the specs read it. */
export type Answer = JsonAnswer;

export interface ConsentIntFixture {
  readonly app: INestApplication;
  readonly baseUrl: string;
  readonly store: EventStore;
  /** A client for reading consent's published topic. */
  readonly kafka: Kafka;
  /** Roster's standing endpoint: no student is held (404) unless a spec sets one. */
  readonly roster: StandInRoster;
  /** Takes roster down (every call to it fails as to a closed port) while `during` runs, then brings it back. */
  withRosterDown(during: () => Promise<void>): Promise<void>;
  /** Sends roster's messages and waits until consent's roster view has applied every one. */
  feedRoster(...messages: Message[]): Promise<void>;
  /** A student of the test's own, enrolled at the school through roster's messages (see {@link Enrolment}). */
  enrol(schoolId: string, options?: EnrolmentOptions): Promise<Enrolment>;
  /** A user's token as the identity provider signs it; `sign` overrides its expiry or secret to forge a bad one. */
  token(role: Role, sub: string, org?: string, sign?: Partial<Pick<SignOptions, 'expiresIn' | 'secret'>>): Promise<string>;
  /** Calls consent over HTTP; a string body is sent as it is, anything else as JSON. */
  call(method: 'GET' | 'POST' | 'PUT', path: string, bearer: string | undefined, body?: unknown): Promise<Answer>;
  close(): Promise<void>;
}

/** Boots consent on a fresh database; `name` names the database and the test's Kafka client. */
export async function startConsent(name: string): Promise<ConsentIntFixture> {
  const database: TestDatabase = await createTestDatabase(`silta_consent_${name}`);
  const roster = await startStandInRoster();
  const gate = await rosterGate(roster.url);
  const issuer = testIssuer();
  // PlatformModule reads its configuration when the module is imported: set it first.
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    ...serviceKafkaEnv('consent'),
    ...issuer.env,
    PORT: '0',
    // Consent reads the birth date from roster's standing on grant and resume.
    INTERNAL_TOKEN_SECRET: randomBytes(32).toString('hex'),
    ROSTER_URL: gate.url,
  });
  delete process.env.EVENTSTORE_CONNECTION_STRING;
  delete process.env.JWT_JWKS_URL;

  const kafka = testKafka(`consent-${name}-int-test`);
  await ensureTopic(kafka, Topics.roster);
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();

  const { ConsentModule } = await import('../consent.module');
  const { app, baseUrl, call } = await listenInProcess(ConsentModule);
  const processed = app.get(DataSource).getRepository(ProcessedEventEntity);

  async function feedRoster(...messages: Message[]): Promise<void> {
    await producer.send({ topic: Topics.roster, acks: -1, messages });
    // A message sent twice (a redelivery) is applied once.
    const eventIds = [...new Set(messages.map((m) => String(m.headers?.[MessageHeaders.eventId])))];
    await eventually(
      async () => (await processed.countBy(eventIds.map((eventId) => ({ consumer: 'consent', eventId })))) === eventIds.length,
      45_000,
      () => 'the roster view did not apply every roster event',
    );
  }

  return {
    app,
    baseUrl,
    store: app.get<EventStore>(EVENT_STORE),
    kafka,
    roster,
    feedRoster,
    async withRosterDown(during) {
      gate.down = true;
      try {
        await during();
      } finally {
        gate.down = false;
      }
    },
    async enrol(schoolId, { guardians = 0, standing, rosterFlag } = {}) {
      const studentId = uniqueName('student');
      const guardianIds = Array.from({ length: guardians }, (_, n) => uniqueName(`guardian-${n + 1}`));
      if (standing) roster.standings.set(studentId, standing);
      await feedRoster(
        rosterEvents.enrolled(studentId, schoolId),
        ...guardianIds.map((guardianId) => rosterEvents.guardianLinked(studentId, guardianId)),
        ...(rosterFlag === undefined ? [] : [rosterMessage('StudentCapacityRecorded', { studentId, decidesForSelf: rosterFlag, recordedAt: AT })]),
      );
      return { studentId, guardianIds };
    },
    token: issuer.token,
    call,
    async close() {
      await app.close();
      await roster.stop();
      await new Promise((resolve) => gate.server.close(resolve));
      await producer.disconnect();
      await database.drop();
    },
  };
}

/**
 * What consent calls as roster: it passes each call on to the stand-in, or, while down, drops the
 * connection unanswered, so a spec can see consent with roster down and the next one with it up.
 */
async function rosterGate(rosterUrl: string): Promise<{ url: string; server: Server; down: boolean }> {
  const server = createServer((request, response) => {
    if (gate.down) return void request.socket.destroy();
    fetch(`${rosterUrl}${request.url ?? '/'}`, { headers: { authorization: request.headers.authorization ?? '' } })
      .then(async (answer) => {
        response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(await answer.text());
      })
      .catch(() => request.socket.destroy());
  });
  const gate = { url: '', server, down: false };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gate.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return gate;
}

/** One of roster's public messages, validated against its contract and keyed as roster keys it. */
export function rosterMessage(type: string, payload: Record<string, unknown>): Message {
  const contract = rosterRegistry.find(type, 1);
  if (!contract) throw new Error(`roster publishes no ${type}/v1`);
  return contractMessage(contract, payload).message;
}

const AT = '2026-01-01T08:00:00.000Z';

/** What a spec's fresh student needs beyond being enrolled. */
export interface EnrolmentOptions {
  /** How many fresh guardians roster links to the student. */
  readonly guardians?: number;
  /** What roster's standing endpoint answers for the student (404, as for a student roster does not hold, unless given). */
  readonly standing?: StudentStanding;
  /** Roster's own StudentCapacityRecorded flag, which consent no longer decides by. */
  readonly rosterFlag?: boolean;
}

/** A fresh student and their fresh guardians, as consent's roster view holds them. */
export interface Enrolment {
  readonly studentId: string;
  readonly guardianIds: string[];
}

/** Roster's standing of a minor in basic education, and of a student who turned 18 long ago. */
export const standings = {
  minor: { birthDate: '2012-05-06', educationForm: 'basic_education', inCompulsoryEducation: true },
  adult: { birthDate: '2005-05-06', educationForm: 'adult_upper_secondary', inCompulsoryEducation: false },
} satisfies Record<string, StudentStanding>;

/** Roster's messages that seed a consent int spec's world, all dated 1 January 2026 unless told. */
export const rosterEvents = {
  schoolServed: (schoolId: string, welfareAreaId: string) => rosterMessage('SchoolServiceDeclared', { schoolId, municipalityId: 'vantaa', welfareAreaId, declaredAt: AT }),
  enrolled: (studentId: string, schoolId: string) => rosterMessage('StudentEnrolled', { studentId, schoolId, enrolledAt: AT }),
  guardianLinked: (studentId: string, guardianId: string) => rosterMessage('GuardianLinked', { studentId, guardianId, linkedAt: AT }),
  assigned: (professionalId: string, role: string, welfareAreaId: string, schoolId: string, assignmentId = `${professionalId}-a`) =>
    rosterMessage('ProfessionalAssigned', { assignmentId, professionalId, role, welfareAreaId, schoolId, validFrom: '2020-01-01' }),
  /** Ends the assignment `assigned` made for the professional, on 2 January 2026. */
  assignmentEnded: (professionalId: string, schoolId: string, assignmentId = `${professionalId}-a`) =>
    rosterMessage('AssignmentEnded', { assignmentId, schoolId, endedAt: '2026-01-02T08:00:00.000Z' }),
};
