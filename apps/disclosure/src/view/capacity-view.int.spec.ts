import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { CapacityAssessedV1, ContractRegistry, MessageHeaders, consentContracts, rosterContracts } from '@silta/contracts';
import { ConsumerAlarmEntity, ProcessedEventEntity, ProjectionConsumer, ensureTopic, silentLogger } from '@silta/messaging';
import { consumerGroupId, loadConfig } from '@silta/platform';
import { createTestDatabase, eventually, serviceKafkaEnv, testKafka, uniqueName, type TestDatabase } from '@silta/testing';
import { DecisionRecordEntity } from '../queries/decision-record.entity';
import { VIEW_CONSUMER_GROUP } from './view.constants';
import { CapacityEntity, SchoolEntity, StudentEntity, viewEntities } from './view.entities';
import { ViewProjection } from './view.projection';
import { ViewReader } from './view-reader';

// Consent's CapacityAssessed reaches disclosure's view over the real broker and lands in real
// PostgreSQL, where the view reader's one-statement snapshot puts it in `student.capacity`.

describe("disclosure's view of capacity assessments (PostgreSQL, Kafka)", () => {
  const suffix = `.${randomUUID().slice(0, 8)}`;
  const topic = uniqueName('silta.test.consent');
  const requester = { professionalId: 'p-nurse', welfareAreaId: 'w', org: 'welfare-area:w' };
  let db: TestDatabase;
  let dataSource: DataSource;
  let kafka: Kafka;
  let producer: Producer;
  let consumer: ProjectionConsumer;
  let reader: ViewReader;

  beforeAll(async () => {
    db = await createTestDatabase('silta_capacity_view');
    dataSource = await new DataSource({
      type: 'postgres',
      url: db.url,
      entities: [...viewEntities, DecisionRecordEntity, ProcessedEventEntity, ConsumerAlarmEntity],
      synchronize: true,
    }).initialize();
    const config = loadConfig('disclosure', { ...serviceKafkaEnv('disclosure'), INTERNAL_TOKEN_SECRET: 'i'.repeat(40), JWT_SECRET: 'j'.repeat(40), KAFKA_GROUP_SUFFIX: suffix });
    reader = new ViewReader(dataSource, config);
    // The topic is this test's own, made up here: its producer and consumer are `admin`.
    kafka = testKafka('capacity-view-test');
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
    await dataSource.manager.insert(SchoolEntity, { schoolId: 'school-1', municipalityId: 'm', servedBy: 'w' });
    for (const studentId of ['student-x', 'student-y']) {
      await dataSource.manager.insert(StudentEntity, { studentId, schoolId: 'school-1', enrolledAt: null, decidesForSelf: true, welfareAccessActive: true });
    }
  });
  afterAll(async () => {
    await consumer?.stop();
    await producer?.disconnect();
    await dataSource?.destroy();
    await db?.drop();
  });

  const assessed = (studentId: string, field: string, decidesForSelf: boolean, by: { id: string; role: string }, assessedAt: string) => {
    const payload = { studentId, field, decidesForSelf, assessedOn: assessedAt.slice(0, 10), assessedBy: { kind: 'professional', ...by }, assessedAt };
    return {
      key: studentId,
      value: JSON.stringify(payload),
      headers: { [MessageHeaders.eventId]: randomUUID(), [MessageHeaders.eventType]: CapacityAssessedV1.type, [MessageHeaders.schemaVersion]: '1' },
    };
  };
  const nurse = { id: 'p-nurse', role: 'nurse' };
  const doctor = { id: 'p-doctor', role: 'doctor' };
  const curator = { id: 'p-curator', role: 'curator' };

  it("puts the newest assessment per field in the student's snapshot; an older or repeated message changes nothing", async () => {
    const newest = assessed('student-x', 'health_care', true, nurse, '2026-03-03T08:00:00.000Z');
    await producer.send({
      topic,
      acks: -1,
      messages: [
        assessed('student-x', 'health_care', false, doctor, '2026-03-02T08:00:00.000Z'),
        newest,
        assessed('student-x', 'social_welfare', false, curator, '2026-03-02T08:00:00.000Z'),
        // The nurse's again under another event id, then one older than it arriving last.
        { ...newest, headers: { ...newest.headers, [MessageHeaders.eventId]: randomUUID() } },
        assessed('student-x', 'health_care', false, doctor, '2026-03-01T08:00:00.000Z'),
      ],
    });
    await eventually(async () => (await dataSource.manager.countBy(ProcessedEventEntity, {})) >= 5, 60_000, () => 'the view did not apply every message');

    const snapshot = await reader.snapshot('student-x', requester);
    expect(snapshot.student?.capacity).toEqual({
      health_care: { decidesForSelf: true, assessedOn: '2026-03-03', assessedBy: { professionalId: 'p-nurse', role: 'nurse' } },
      social_welfare: { decidesForSelf: false, assessedOn: '2026-03-02', assessedBy: { professionalId: 'p-curator', role: 'curator' } },
    });
    expect(await dataSource.manager.countBy(CapacityEntity, { studentId: 'student-x' })).toBe(2);
    // Another student, nobody assessed: present and empty, never roster's flag.
    expect((await reader.snapshot('student-y', requester)).student?.capacity).toEqual({});
  });
});
