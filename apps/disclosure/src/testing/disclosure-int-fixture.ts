import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { DataSource, In } from 'typeorm';
import {
  ConsentGrantedV1,
  ConsentWithdrawnV1,
  GuardianLinkedV1,
  MessageHeaders,
  ProfessionalAssignedV1,
  SchoolServiceDeclaredV1,
  StudentEnrolledV1,
  Topics,
  type DataCategory,
} from '@silta/contracts';
import type { EventStore, RecordedEvent } from '@silta/event-store';
import { ProcessedEventEntity, ensureTopics } from '@silta/messaging';
import { EVENT_STORE, type ConsumerHost, type Role } from '@silta/platform';
import {
  contractMessage,
  createTestDatabase,
  eventually,
  listenInProcess,
  serviceKafkaEnv,
  startStandInRoster,
  testIssuer,
  testKafka,
  type InProcessApp,
  type PublicMessage,
  type StandInRoster,
  type TestDatabase,
} from '@silta/testing';
import { bundleLeaf, eventLeafHash, generateSignerKey, openCheckpoint, verifierKeyOf, verifyInclusion, type AuditBundle } from '@silta/transparency';

// Disclosure's int specs boot the app in this process on a store of the spec's choosing (PostgreSQL,
// or SQLite files as `npm start` uses by default) and the real broker. The test stands in for
// roster and consent: their public messages, validated by their contracts, on the topics disclosure
// consumes, and roster's internal endpoints (standing, records) on a local port.

/** How long the view may take to read the shared topics' earlier messages; a spec's beforeAll allows it. */
export const CATCH_UP_MS = 180_000;

/** Where disclosure keeps its event store and read models. */
export type StoreKind = 'postgres' | 'sqlite';

/** The policy municipality of apps/disclosure/policy/default.policy.yaml, which the app loads. */
const POLICY_MUNICIPALITY = 'demo';

export interface DisclosureIntFixture extends InProcessApp {
  readonly storeKind: StoreKind;
  readonly store: EventStore;
  /** Roster's internal endpoints: no student is known (404) unless a spec sets one. */
  readonly roster: StandInRoster;
  /** Publishes roster's and consent's messages and waits until disclosure's view has applied every one. */
  feed(...messages: PublicMessage[]): Promise<void>;
  token(role: Role, sub: string, org?: string): Promise<string>;
  /** The events of the student's audit stream (where each decision about the student is recorded). */
  auditTrailOf(studentId: string): Promise<RecordedEvent[]>;
  /** How many events the audit trail holds, over every student. */
  auditTrailSize(): Promise<number>;
  /** Makes every append to the event store fail, as a store that is down does, until the returned function is called. */
  refuseAppends(): Promise<() => Promise<void>>;
  /**
   * Has the log's checkpoint signed, fetches the student's audit bundle and checks it as an auditor
   * would, trusting only the verifier key of the signing key the fixture gave the app: the
   * checkpoint's signature, each event's leaf hash and its inclusion proof. Returns the events.
   */
  verifiedAuditTrailOf(studentId: string, auditor: string): Promise<AuditBundle['events']>;
  close(): Promise<void>;
}

/** Boots disclosure on a fresh store of `storeKind`; `name` names the database or folder and the Kafka client. */
export async function startDisclosure(name: string, storeKind: StoreKind = 'postgres'): Promise<DisclosureIntFixture> {
  const savedEnv = { ...process.env };
  const storage = await openStorage(name, storeKind);
  const roster = await startStandInRoster();
  const issuer = testIssuer();
  const origin = `silta.int/${name}-${randomUUID().slice(0, 8)}/municipality`;
  const signerKey = generateSignerKey(origin); // C2SP: a log's key is named after its origin
  for (const variable of ['DATABASE_URL', 'DATA_DIR', 'EVENTSTORE_CONNECTION_STRING', 'JWT_JWKS_URL', 'TRUSTED_ISSUERS', 'POLICY_FILE', 'PEER_AUDIT_KEY', 'PEER_AUDIT_URL', 'PEER_AUDIT_ORIGIN']) {
    delete process.env[variable];
  }
  // PlatformModule reads its configuration when the module is imported: set it first.
  Object.assign(process.env, {
    ...storage.env,
    ...serviceKafkaEnv('disclosure'),
    // A consumer group of the run's own: the view reads roster's and consent's topics from the start.
    KAFKA_GROUP_SUFFIX: `.${randomUUID().slice(0, 8)}`,
    ...issuer.env,
    INTERNAL_TOKEN_SECRET: randomUUID() + randomUUID(),
    ROSTER_URL: roster.url,
    AUDIT_SIGNING_KEY: signerKey,
    AUDIT_ORIGIN: origin,
    // Checkpoints only when a spec asks for one, as often as it asks.
    AUDIT_CHECKPOINT_INTERVAL_MS: '0',
    AUDIT_CHECKPOINT_MIN_INTERVAL_MS: '0',
    PORT: '0',
  });

  const kafka = testKafka(`disclosure-${name}-int-test`);
  await ensureTopics(kafka, Object.values(Topics));
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();

  const { DisclosureModule } = await import('../disclosure.module');
  const running = await listenInProcess(DisclosureModule);
  const store = running.app.get<EventStore>(EVENT_STORE);
  // The view's group is new, so it reads roster's and consent's topics from their start, where other
  // runs' messages are: wait until it has caught up, so a spec's first feed waits for its own only.
  const view = running.app.get<ConsumerHost>('DisclosureViewConsumer').consumer;
  await eventually(async () => (await view.lag()).every((partition) => partition.lag === 0), CATCH_UP_MS, () => "disclosure's view did not catch up with roster's and consent's topics");
  const processed = running.app.get(DataSource).getRepository(ProcessedEventEntity);
  const auditEvents = async () => (await store.readAll()).filter((event) => event.streamId.startsWith('audit-'));

  return {
    ...running,
    storeKind,
    store,
    roster,
    async feed(...messages) {
      for (const topic of new Set(messages.map((m) => m.topic))) {
        await producer.send({ topic, acks: -1, messages: messages.filter((m) => m.topic === topic).map((m) => m.message) });
      }
      const eventIds = messages.map((m) => String(m.message.headers?.[MessageHeaders.eventId]));
      await eventually(async () => (await processed.countBy({ eventId: In(eventIds) })) === eventIds.length, 45_000, () => "disclosure's view did not apply every message");
    },
    token: issuer.token,
    auditTrailOf: (studentId) => store.readStream(`audit-${studentId}`),
    auditTrailSize: async () => (await auditEvents()).length,
    refuseAppends: storage.refuseAppends,
    async verifiedAuditTrailOf(studentId, auditor) {
      const signed = await running.call('POST', '/v1/audit/log/checkpoints', auditor);
      if (signed.status !== 200) throw new Error(`no checkpoint was signed: ${signed.status} ${JSON.stringify(signed.body)}`);
      const answer = await running.call('GET', `/v1/audit/log/bundle?studentId=${encodeURIComponent(studentId)}`, auditor);
      if (answer.status !== 200) throw new Error(`no audit bundle: ${answer.status} ${JSON.stringify(answer.body)}`);
      const bundle = answer.body as unknown as AuditBundle;
      const { checkpoint } = openCheckpoint(bundle.checkpoint, [verifierKeyOf(signerKey)], { origin });
      for (const event of bundle.events) {
        const leaf = eventLeafHash(bundleLeaf(event));
        if (Buffer.from(leaf).toString('hex') !== event.leafHash) throw new Error(`${event.type} at leaf ${event.leafIndex}: its data does not hash to its recorded leaf`);
        verifyInclusion(leaf, event.leafIndex, checkpoint.size, event.proof.map((hash) => new Uint8Array(Buffer.from(hash, 'base64'))), checkpoint.root);
      }
      return bundle.events;
    },
    async close() {
      await running.app.close();
      await roster.stop();
      await producer.disconnect();
      await storage.drop();
      process.env = savedEnv;
    },
  };
}

interface Storage {
  readonly env: Record<string, string>;
  refuseAppends(): Promise<() => Promise<void>>;
  drop(): Promise<void>;
}

// A trigger that fails every insert into the event log: the store answers each append with an
// error, as one whose database is down or full does, while the view and the roster still answer.
const REFUSE = 'silta_int_refuse_appends';

async function openStorage(name: string, kind: StoreKind): Promise<Storage> {
  if (kind === 'postgres') {
    const database: TestDatabase = await createTestDatabase(`silta_disclosure_${name.replaceAll('-', '_')}`);
    const sql = async (statement: string) => {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      await client.query(statement).finally(() => client.end());
    };
    return {
      env: { DATABASE_URL: database.url },
      async refuseAppends() {
        await sql(`CREATE FUNCTION ${REFUSE}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the event store is down (int test)'; END $$;
          CREATE TRIGGER ${REFUSE} BEFORE INSERT ON silta_events FOR EACH ROW EXECUTE FUNCTION ${REFUSE}();`);
        return () => sql(`DROP TRIGGER ${REFUSE} ON silta_events; DROP FUNCTION ${REFUSE}();`);
      },
      drop: () => database.drop(),
    };
  }
  // As `npm start` runs disclosure without a DATABASE_URL: SQLite files under DATA_DIR/disclosure.
  const dataDir = mkdtempSync(join(tmpdir(), `silta-disclosure-${name}-`));
  const sql = (statement: string) => {
    const events = new Database(join(dataDir, 'disclosure', 'events.db'), { fileMustExist: true, timeout: 10_000 });
    try {
      events.exec(statement);
    } finally {
      events.close();
    }
  };
  return {
    env: { DATA_DIR: dataDir },
    async refuseAppends() {
      sql(`CREATE TRIGGER ${REFUSE} BEFORE INSERT ON silta_events BEGIN SELECT RAISE(ABORT, 'the event store is down (int test)'); END;`);
      return async () => sql(`DROP TRIGGER ${REFUSE};`);
    },
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** One student's world, with ids no other test uses: their school, its welfare area, a curator assigned there, a guardian. */
export interface StudentWorld {
  readonly studentId: string;
  readonly schoolId: string;
  readonly welfareAreaId: string;
  /** The organisation claim of the welfare area's people. */
  readonly welfareAreaOrg: string;
  readonly curator: string;
  readonly guardianId: string;
  /** The identification data roster holds for the student. */
  readonly identification: { name: string; birthDate: string; group: string };
  /** The absences roster holds for the student (without reasons: the default policy never releases those). */
  readonly absences: ReadonlyArray<{ recordId: string; date: string }>;
}

const AT = '2026-01-01T08:00:00.000Z';

/**
 * Makes a fresh student's world and tells disclosure about it as roster would (the school served
 * by the welfare area under the policy's municipality, the student enrolled, a guardian linked, a
 * curator assigned), and gives the stand-in roster the student's standing and records.
 */
export async function seedStudent(disclosure: DisclosureIntFixture): Promise<StudentWorld> {
  const run = randomUUID().slice(0, 8);
  const world: StudentWorld = {
    studentId: `student-${run}`,
    schoolId: `school-${run}`,
    welfareAreaId: `area-${run}`,
    welfareAreaOrg: `welfare-area:area-${run}`,
    curator: `curator-${run}`,
    guardianId: `guardian-${run}`,
    identification: { name: `Oppilas ${run}`, birthDate: '2014-05-01', group: '6B' },
    absences: [{ recordId: `absence-${run}`, date: '2026-01-12' }],
  };
  disclosure.roster.standings.set(world.studentId, { birthDate: world.identification.birthDate, educationForm: 'basic_education', inCompulsoryEducation: true });
  disclosure.roster.records.set(world.studentId, { identification: world.identification, absences: world.absences });
  await disclosure.feed(
    contractMessage(SchoolServiceDeclaredV1, { schoolId: world.schoolId, municipalityId: POLICY_MUNICIPALITY, welfareAreaId: world.welfareAreaId, declaredAt: AT }),
    contractMessage(StudentEnrolledV1, { studentId: world.studentId, schoolId: world.schoolId, enrolledAt: AT }),
    contractMessage(GuardianLinkedV1, { studentId: world.studentId, guardianId: world.guardianId, linkedAt: AT }),
    assigned(world, world.curator, 'curator'),
  );
  return world;
}

/** Roster's message assigning a professional of the world's welfare area to the world's school. */
export function assigned(world: StudentWorld, professionalId: string, role: 'curator' | 'psychologist' | 'nurse' | 'doctor'): PublicMessage {
  return contractMessage(ProfessionalAssignedV1, {
    assignmentId: `${professionalId}-assignment`,
    professionalId,
    role,
    welfareAreaId: world.welfareAreaId,
    schoolId: world.schoolId,
    validFrom: '2020-01-01',
  });
}

/** Consent's messages about one consent of the world's guardian to the world's welfare area. */
export function guardianConsent(world: StudentWorld, categories: DataCategory[]) {
  const consentId = `consent-${randomUUID().slice(0, 8)}`;
  const grantedAt = new Date(Date.now() - 60_000).toISOString();
  return {
    consentId,
    granted: contractMessage(ConsentGrantedV1, {
      consentId,
      version: 1,
      studentId: world.studentId,
      grantedBy: { kind: 'guardian', id: world.guardianId },
      categories,
      recipient: { welfareAreaId: world.welfareAreaId },
      purpose: 'support assessment',
      validFrom: grantedAt,
      grantedAt,
    }),
    withdrawn: () => contractMessage(ConsentWithdrawnV1, { consentId, version: 2, studentId: world.studentId, at: new Date().toISOString() }),
  };
}
