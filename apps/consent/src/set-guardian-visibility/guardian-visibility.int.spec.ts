import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import type { Message, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ContractRegistry, MessageHeaders, Topics, rosterContracts } from '@silta/contracts';
import type { EventStore } from '@silta/event-store';
import { ProcessedEventEntity, ensureTopic } from '@silta/messaging';
import { EVENT_STORE, ProblemError, signUserToken, type Role } from '@silta/platform';
import { createTestDatabase, eventually, serviceKafkaEnv, testKafka, uniqueName, type TestDatabase } from '@silta/testing';
import { ConfidentialityLog } from '../consent-store/confidentiality-log';
import { SetGuardianVisibilityCommand } from './set-guardian-visibility.command';

// Who may read and change what a student's guardians see (issue 10, item 2), and that no
// declaration is stored that its public contract would refuse (item 7). Consent runs on real
// PostgreSQL; its roster view is fed over the real broker on silta.roster.v1.

const JWT_SECRET = randomBytes(32).toString('hex');
const ISSUER = 'silta-int-test';
const AUDIENCE = 'silta';
const rosterRegistry = new ContractRegistry(rosterContracts);

const ids = {
  student: uniqueName('student'),
  school: uniqueName('school'),
  otherSchool: uniqueName('school-other'),
  area: uniqueName('area'),
  otherArea: uniqueName('area-other'),
  curator: uniqueName('curator'), // assigned to the student's school
  otherCurator: uniqueName('curator-other'), // of the other welfare area, assigned to its own school
  unassigned: uniqueName('curator-unassigned'), // of the student's welfare area, assigned nowhere
  endedCurator: uniqueName('curator-ended'), // was assigned to the student's school
};

describe("guardian visibility: only the student and the professionals assigned to the student's school", () => {
  let database: TestDatabase;
  let app: INestApplication;
  let baseUrl: string;
  let store: EventStore;
  let producer: Producer;
  const rosterEventIds: string[] = [];
  const path = `/v1/students/${ids.student}/guardian-visibility`;
  const stream = () => store.readStream(`confidentiality-${ids.student}`);

  beforeAll(async () => {
    database = await createTestDatabase('silta_consent_visibility');
    Object.assign(process.env, {
      DATABASE_URL: database.url,
      ...serviceKafkaEnv('consent'),
      JWT_SECRET,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      PORT: '0',
    });
    // Consent holds the municipality's service secret (it reads roster's standing on grant); nothing here calls roster.
    process.env.INTERNAL_TOKEN_SECRET = randomBytes(32).toString('hex');
    delete process.env.EVENTSTORE_CONNECTION_STRING;
    delete process.env.JWT_JWKS_URL;

    // The test stands in for roster, forging its messages: `admin`.
    const kafka = testKafka('consent-visibility-int-test');
    await ensureTopic(kafka, Topics.roster);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();

    const { ConsentModule } = await import('../consent.module');
    app = await NestFactory.create(ConsentModule, { logger: false });
    await app.listen(0);
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    store = app.get<EventStore>(EVENT_STORE);

    const at = '2026-01-01T08:00:00.000Z';
    const assigned = (assignmentId: string, professionalId: string, welfareAreaId: string, schoolId: string) =>
      rosterMessage('ProfessionalAssigned', schoolId, { assignmentId, professionalId, role: 'curator', welfareAreaId, schoolId, validFrom: '2020-01-01' });
    await producer.send({
      topic: Topics.roster,
      acks: -1,
      messages: [
        rosterMessage('SchoolServiceDeclared', ids.school, { schoolId: ids.school, municipalityId: 'vantaa', welfareAreaId: ids.area, declaredAt: at }),
        rosterMessage('SchoolServiceDeclared', ids.otherSchool, { schoolId: ids.otherSchool, municipalityId: 'vantaa', welfareAreaId: ids.otherArea, declaredAt: at }),
        rosterMessage('StudentEnrolled', ids.student, { studentId: ids.student, schoolId: ids.school, enrolledAt: at }),
        assigned(uniqueName('a'), ids.curator, ids.area, ids.school),
        assigned(uniqueName('a'), ids.otherCurator, ids.otherArea, ids.otherSchool),
        assigned(`${ids.endedCurator}-a`, ids.endedCurator, ids.area, ids.school),
        rosterMessage('AssignmentEnded', ids.school, { assignmentId: `${ids.endedCurator}-a`, schoolId: ids.school, endedAt: '2026-01-02T08:00:00.000Z' }),
      ],
    });
    const dataSource = app.get(DataSource);
    await eventually(
      async () => (await dataSource.getRepository(ProcessedEventEntity).countBy(rosterEventIds.map((eventId) => ({ consumer: 'consent', eventId })))) === rosterEventIds.length,
      45_000,
      () => 'the roster view did not apply every roster event',
    );
  });

  afterAll(async () => {
    await app?.close();
    await producer?.disconnect();
    await database?.drop();
  });

  function rosterMessage(type: string, key: string, payload: Record<string, unknown>): Message {
    const valid = rosterRegistry.validate(type, 1, payload);
    if (!valid.ok) throw new Error(valid.error);
    const eventId = randomUUID();
    rosterEventIds.push(eventId);
    return { key, value: JSON.stringify(payload), headers: { [MessageHeaders.eventId]: eventId, [MessageHeaders.eventType]: type, [MessageHeaders.schemaVersion]: '1' } };
  }

  const token = (role: Role, sub: string, org?: string) => signUserToken({ sub, role, ...(org ? { org } : {}) }, { secret: JWT_SECRET, issuer: ISSUER, audience: AUDIENCE });

  async function call(method: 'GET' | 'PUT', bearer: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const headers: Record<string, string> = { authorization: `Bearer ${bearer}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  it('lets the student hide curator visits, and the curator assigned to their school read and change it', async () => {
    expect(await call('PUT', await token('student', ids.student), { hiddenRoles: ['curator'] })).toMatchObject({ status: 200 });

    const curator = await token('curator', ids.curator, `welfare-area:${ids.area}`);
    expect(await call('GET', curator)).toMatchObject({ status: 200, body: { hiddenRoles: ['curator'], declaredBy: { kind: 'student', id: ids.student } } });
    expect(await call('PUT', curator, { hiddenRoles: ['curator', 'psychologist'] })).toMatchObject({ status: 200 });
    expect((await stream()).at(-1)!.data).toMatchObject({
      roles: ['curator', 'psychologist'],
      declaredBy: { kind: 'professional', id: ids.curator, role: 'curator', org: `welfare-area:${ids.area}` },
    });
  });

  it('refuses everyone else reading or overwriting it (403), and the stream stays as it was', async () => {
    const before = await stream();
    const outsiders: Array<[string, Role, string, string]> = [
      // Issue 10 item 2 as seen live: a curator of another welfare area, with no assignment to the student's school, un-hiding the visits.
      ['a curator of another welfare area (assigned to its own school)', 'curator', ids.otherCurator, `welfare-area:${ids.otherArea}`],
      ["a curator of the student's welfare area assigned nowhere", 'curator', ids.unassigned, `welfare-area:${ids.area}`],
      ["a curator whose assignment to the student's school has ended", 'curator', ids.endedCurator, `welfare-area:${ids.area}`],
      ['the assigned curator’s subject under another welfare area', 'curator', ids.curator, `welfare-area:${ids.otherArea}`],
      ['the assigned curator’s subject as a psychologist', 'psychologist', ids.curator, `welfare-area:${ids.area}`],
    ];
    for (const [who, role, sub, org] of outsiders) {
      const bearer = await token(role, sub, org);
      for (const [method, body] of [['GET', undefined], ['PUT', { hiddenRoles: [] }]] as const) {
        const answer = await call(method, bearer, body);
        expect({ who, method, status: answer.status, code: answer.body.code }).toEqual({ who, method, status: 403, code: 'not_assigned_to_student' });
        expect(answer.body).not.toHaveProperty('hiddenRoles');
      }
    }
    expect(await stream()).toEqual(before);
    expect((await call('GET', await token('student', ids.student))).body).toMatchObject({ hiddenRoles: ['curator', 'psychologist'] });
  });

  it('refuses a caller whose subject is longer than the public contract allows, and writes nothing', async () => {
    const before = await stream();
    // As seen live: a 250-character `sub`. Whatever the edge says (401 once tokens bound their
    // claims, 403 since such a subject cannot be assigned), nothing is stored.
    const longSub = 'p'.repeat(250);
    const answer = await call('PUT', await token('curator', longSub, `welfare-area:${ids.area}`), { hiddenRoles: [] });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);

    // The write side on its own: a declaration the domain accepts but GuardianVisibilityChangedV1
    // would refuse (declaredBy.id over 200 characters) is refused with 400 before anything is appended.
    const log = app.get(ConfidentialityLog);
    const accepted = log.execute({
      type: 'SetGuardianVisibility',
      studentId: ids.student,
      hiddenRoles: [],
      actor: { kind: 'professional', id: longSub, role: 'curator', org: `welfare-area:${ids.area}` },
      standing: {
        schoolId: ids.school,
        schoolServedBy: ids.area,
        callerAssignments: [{ assignmentId: 'a-long', role: 'curator', welfareAreaId: ids.area, schoolId: ids.school, validFrom: '2020-01-01', ended: false }],
      },
      now: new Date(),
    });
    await expect(accepted).rejects.toThrow(ProblemError);
    await expect(accepted).rejects.toMatchObject({ status: 400, code: 'invalid_request', detail: expect.stringContaining('declaredBy.id') });

    // And through the command handler, for a student whose own id is too long for the contract.
    const handled = app.get(CommandBus).execute(new SetGuardianVisibilityCommand({ sub: 's'.repeat(250), role: 'student' } as never, 's'.repeat(250), { hiddenRoles: ['curator'] }));
    await expect(handled).rejects.toMatchObject({ status: 400, detail: expect.stringContaining('studentId') });

    expect(await stream()).toEqual(before);
    await expect(store.readStream(`confidentiality-${'s'.repeat(250)}`)).rejects.toThrow('not found');
  });
});
