import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ConsentGrantedV1, ConsentWithdrawnV1, ContractRegistry, MessageHeaders, consentContracts, rosterContracts } from '@silta/contracts';
import { ConsumerAlarmEntity, ProcessedEventEntity, ProjectionConsumer, ensureTopic, silentLogger } from '@silta/messaging';
import { consumerGroupId, loadConfig } from '@silta/platform';
import { createTestDatabase, eventually, serviceKafkaEnv, testKafka, uniqueName, type TestDatabase } from '@silta/testing';
import { decide, type Policy } from '../domain/decision';
import { DecisionRecordEntity } from '../queries/decision-record.entity';
import { VIEW_CONSUMER_GROUP } from './view.constants';
import { AssignmentEntity, SchoolEntity, StudentEntity, viewEntities } from './view.entities';
import { ViewProjection } from './view.projection';
import { ViewReader } from './view-reader';

// A withdrawal that cannot be applied must not leave the student's data flowing (issue 10, item 7;
// DESIGN.md invariant 9): the consumer raises an alarm and disclosure's decisions about that
// student deny, on the real broker and PostgreSQL.

const policy: Policy = {
  id: 'municipality:m/disclosure-policy',
  version: '1',
  hash: '0'.repeat(64),
  municipality: 'm',
  necessity: { curator: [], psychologist: [], nurse: [], doctor: [] },
  emergency: { categories: [], windowMinutes: 60 },
  requireWelfareAccessActivation: false,
  consentFrom: 'any_guardian',
  minJustificationLength: 10,
};

describe("disclosure's view fails closed on a narrowing message it cannot apply", () => {
  const suffix = `.${randomUUID().slice(0, 8)}`;
  const topic = uniqueName('silta.test.consent');
  let db: TestDatabase;
  let dataSource: DataSource;
  let kafka: Kafka;
  let producer: Producer;
  let consumer: ProjectionConsumer;
  let reader: ViewReader;

  beforeAll(async () => {
    db = await createTestDatabase('silta_fails_closed');
    dataSource = await new DataSource({
      type: 'postgres',
      url: db.url,
      entities: [...viewEntities, DecisionRecordEntity, ProcessedEventEntity, ConsumerAlarmEntity],
      synchronize: true,
    }).initialize();
    const config = loadConfig('disclosure', { ...serviceKafkaEnv('disclosure'), INTERNAL_TOKEN_SECRET: 'i'.repeat(40), JWT_SECRET: 'j'.repeat(40), KAFKA_GROUP_SUFFIX: suffix });
    reader = new ViewReader(dataSource, config);
    // The topic is this test's own, made up here: its producer and consumer are `admin`.
    kafka = testKafka('fails-closed-test');
    await ensureTopic(kafka, topic);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const projection = new ViewProjection();
    consumer = new ProjectionConsumer({
      groupId: consumerGroupId(config, VIEW_CONSUMER_GROUP),
      topics: [topic],
      kafka,
      dataSource,
      contracts: new ContractRegistry([...rosterContracts, ...consentContracts]),
      handle: (message, manager) => projection.handle(message, manager),
      logger: silentLogger,
    });
    await consumer.start();
  });
  afterAll(async () => {
    await consumer?.stop();
    await producer?.disconnect();
    await dataSource?.destroy();
    await db?.drop();
  });

  const message = (type: string, payload: object, key: string) => ({
    key,
    value: JSON.stringify(payload),
    headers: { [MessageHeaders.eventId]: randomUUID(), [MessageHeaders.eventType]: type, [MessageHeaders.schemaVersion]: '1' },
  });

  it('denies every decision about the student whose withdrawal was dead-lettered, and only that student', async () => {
    const [student, neighbour] = ['student-x', 'student-y'];
    await dataSource.manager.insert(SchoolEntity, { schoolId: 'school-1', municipalityId: 'm', servedBy: 'w' });
    for (const studentId of [student, neighbour]) {
      await dataSource.manager.insert(StudentEntity, { studentId, schoolId: 'school-1', enrolledAt: null, decidesForSelf: false, welfareAccessActive: true });
    }
    await dataSource.manager.insert(AssignmentEntity, {
      assignmentId: 'a-1', professionalId: 'p-1', role: 'curator', welfareAreaId: 'w', schoolId: 'school-1', validFrom: '2020-01-01', validUntil: null, ended: false,
    });
    const requester = { professionalId: 'p-1', welfareAreaId: 'w', org: 'welfare-area:w' };
    const decideFor = async (studentId: string) =>
      decide({
        request: { requestId: randomUUID(), studentId, categories: ['identification'], basis: 'identification', purpose: 'support' },
        requester: { professionalId: 'p-1', role: 'curator', welfareAreaId: 'w' },
        snapshot: await reader.snapshot(studentId, requester),
        policy,
        now: new Date().toISOString(),
      }).categories.map((c) => `${c.outcome}:${c.reason}`);
    expect(await decideFor(student)).toEqual(['permit:identification_data']);

    const grantedAt = new Date().toISOString();
    await producer.send({
      topic,
      acks: -1,
      messages: [
        message(
          ConsentGrantedV1.type,
          { consentId: 'c-1', version: 1, studentId: student, grantedBy: { kind: 'guardian', id: 'g-1' }, categories: ['absences'], recipient: { welfareAreaId: 'w' }, purpose: 'support', validFrom: grantedAt, grantedAt },
          student,
        ),
        // the guardian's withdrawal, with an id its contract refuses: it cannot be applied
        message(ConsentWithdrawnV1.type, { consentId: 'c'.repeat(250), version: 2, studentId: student, at: grantedAt }, student),
      ],
    });
    await eventually(async () => (await dataSource.manager.countBy(ConsumerAlarmEntity, { messageKey: student })) === 1, 60_000, () => 'no alarm was raised');

    expect(await decideFor(student)).toEqual(['deny:view_incomplete']);
    expect(await decideFor(neighbour)).toEqual(['permit:identification_data']);

    // the operator deals with it and resolves the alarm: decisions about the student resume
    await dataSource.manager.update(ConsumerAlarmEntity, { messageKey: student }, { resolvedAt: new Date() });
    expect(await decideFor(student)).toEqual(['permit:identification_data']);
  });
});
