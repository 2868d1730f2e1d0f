import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { ProfessionalAssignedV1, Topics } from '@silta/contracts';
import { createKafka, silentLogger } from '@silta/messaging';
import { forgedMessage, type Outcome } from '@silta/messaging/testing/kafka-probe';
import { createTestDatabase, eventually, readTopic, type TestDatabase } from '@silta/testing';
import { cosignerKeyOf, generateSignerKey, openCheckpoint, openCosignatures, verifierKeyOf } from '@silta/transparency';
import { parseBrokerLines } from '../../scripts/parties';
import { LOCAL_MUNICIPALITY, LOCAL_WELFARE_AREA, generateIssuerKey, issuerSpec, publicJwkOf, requestLocalToken, trustFileFor, type IssuerName } from '../../scripts/local-issuers';
import { Client, freePort, policyFileFor, startApp, type Answer, type RunningApp } from './harness';
import { createNetworkBoundary, type NetworkBoundary } from './netns';

const root = join(__dirname, '..', '..');
const kafkaScript = join(root, 'deploy', 'kafka', 'kafka.sh');
const swc = (file: string) => [process.execPath, '-r', '@swc-node/register', join(root, file)];

/**
 * The two parties apart (issue 11). The welfare area's processes — its receipts service with its
 * own database (SQLite in its own folder), signing key, Kafka principal and identity provider — run
 * in a Linux network namespace of their own, joined to the host by a veth pair whose addresses exist
 * only while the test runs. From there the municipality is reachable only through the broker's
 * SASL_SSL listener and disclosure's HTTP API, both bound to the host side of the link; the broker
 * is one of the test's own, secured by deploy/kafka/kafka.sh like every other. Every user holds a
 * token from their own party's issuer, verified by each party against its trust file. Where no
 * namespace can be made, the test says so and runs the same story on loopback.
 */
describe('two parties across a network boundary', () => {
  const run = randomUUID().slice(0, 8);
  const id = (name: string) => `${name}-${run}`;
  const [school, student, guardian, curator] = ['school', 'student', 'guardian', 'curator'].map(id) as [string, string, string, string];
  const welfareAreaId = LOCAL_WELFARE_AREA.split(':')[1]!;
  const folder = mkdtempSync(join(tmpdir(), 'silta-two-party-'));
  const children: ChildProcess[] = [];
  const apps: Partial<Record<'roster' | 'consent' | 'disclosure' | 'receipts', RunningApp>> = {};
  const databases: TestDatabase[] = [];
  let boundary: NetworkBoundary;
  let broker: { brokers: string; caFile: string; credentialsDir: string; env: NodeJS.ProcessEnv } | undefined;
  let issuerEnv: NodeJS.ProcessEnv;
  let disclosureDb: TestDatabase;
  const origins = { municipality: `silta.e2e/${run}/municipality`, welfareArea: `silta.e2e/${run}/welfare-area` };
  const keys = { municipality: generateSignerKey(origins.municipality), welfareArea: generateSignerKey(origins.welfareArea) };

  beforeAll(async () => {
    boundary = createNetworkBoundary();
    if (!boundary.isolated) console.warn(`two-party test: ${boundary.unavailable}; running the same story on loopback, without a network boundary`);

    // The broker, listening (and advertising) on the host side of the link only.
    const [port, controllerPort] = await twoFreePorts();
    const brokerEnv = { ...process.env, KAFKA_HOST: boundary.hostAddress, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort), KAFKA_DATA_DIR: join(folder, 'kafka') };
    const printed = await new Promise<string>((resolve, reject) =>
      execFile('bash', [kafkaScript, 'start'], { env: brokerEnv }, (error, stdout, stderr) => (error ? reject(new Error(`kafka.sh start failed:\n${stderr}`)) : resolve(stdout))),
    );
    broker = { ...parseBrokerLines(printed)!, env: brokerEnv };
    expect(broker.brokers).toBe(`${boundary.hostAddress}:${port}`);
    const kafkaOf = (principal: string) => ({ KAFKA_BROKERS: broker!.brokers, KAFKA_USERNAME: principal, KAFKA_PASSWORD_FILE: join(broker!.credentialsDir, `${principal}.password`), KAFKA_SSL_CA_FILE: broker!.caFile });

    // Each party's identity provider: the welfare area's inside its namespace.
    const issuerPorts = { municipality: await freePort(), 'welfare-area': await freePort(), citizen: await freePort() };
    issuerEnv = {
      MUNICIPALITY_ISSUER_PORT: String(issuerPorts.municipality),
      WELFARE_AREA_ISSUER_PORT: String(issuerPorts['welfare-area']),
      WELFARE_AREA_ISSUER_HOST: boundary.innerAddress,
      CITIZEN_ISSUER_PORT: String(issuerPorts.citizen),
    };
    const issuerKeys = { municipality: generateIssuerKey(), 'welfare-area': generateIssuerKey(), citizen: generateIssuerKey() };
    for (const name of ['municipality', 'welfare-area', 'citizen'] as IssuerName[]) {
      const host = name === 'welfare-area' ? boundary.innerAddress : '127.0.0.1';
      const argv = swc('scripts/local-issuer.ts');
      const wrapped = name === 'welfare-area' ? boundary.wrap(argv) : argv;
      children.push(
        spawn(wrapped[0]!, wrapped.slice(1), {
          cwd: root,
          env: { PATH: process.env.PATH, SWC_NODE_PROJECT: join(root, 'tsconfig.json'), LOCAL_ISSUER_NAME: name, LOCAL_ISSUER_PORT: String(issuerPorts[name]), LOCAL_ISSUER_HOST: host, LOCAL_ISSUER_KEY: JSON.stringify(issuerKeys[name]) },
          stdio: 'ignore',
        }),
      );
    }
    const trustFiles = { municipality: join(folder, 'municipality.trust.json'), welfareArea: join(folder, 'welfare-area.trust.json') };
    // Each issuer's public key pinned in the trust files: a JWKS is fetched over https only (or from
    // loopback), and the welfare area's issuer is neither; JWKS fetching and rotation are covered by
    // libs/platform/src/auth/trusted-issuers.unit.spec.ts.
    const pinned = { municipality: publicJwkOf(issuerKeys.municipality), 'welfare-area': publicJwkOf(issuerKeys['welfare-area']), citizen: publicJwkOf(issuerKeys.citizen) };
    writeFileSync(trustFiles.municipality, JSON.stringify(trustFileFor('municipality', issuerEnv, pinned)));
    writeFileSync(trustFiles.welfareArea, JSON.stringify(trustFileFor('welfare-area', issuerEnv, pinned)));

    // The municipality: roster, consent and disclosure on PostgreSQL; only disclosure listens on the link.
    const municipalityDbs = await Promise.all(['roster', 'consent', 'disclosure'].map((app) => createTestDatabase(`silta_e2e_two_party_${app}`)));
    databases.push(...municipalityDbs);
    disclosureDb = municipalityDbs[2]!;
    const [disclosurePort, receiptsPort] = [await freePort(), await freePort()];
    const municipality = { TRUSTED_ISSUERS: trustFiles.municipality, INTERNAL_TOKEN_SECRET: randomUUID() + randomUUID() };
    apps.roster = await startApp('roster', { ...municipality, ...kafkaOf('roster'), DATABASE_URL: municipalityDbs[0]!.url });
    apps.consent = await startApp('consent', { ...municipality, ...kafkaOf('consent'), DATABASE_URL: municipalityDbs[1]!.url, ROSTER_URL: apps.roster.url });
    apps.disclosure = await startApp(
      'disclosure',
      {
        ...municipality,
        ...kafkaOf('disclosure'),
        DATABASE_URL: disclosureDb.url,
        PORT: String(disclosurePort),
        ROSTER_URL: apps.roster.url,
        POLICY_FILE: policyFileFor(LOCAL_MUNICIPALITY.split(':')[1]!, folder),
        CONSISTENCY_WAIT_MS: '10000',
        AUDIT_SIGNING_KEY: keys.municipality,
        AUDIT_ORIGIN: origins.municipality,
        PEER_AUDIT_KEY: verifierKeyOf(keys.welfareArea),
        PEER_AUDIT_URL: `http://${boundary.innerAddress}:${receiptsPort}`,
        PEER_AUDIT_ORIGIN: origins.welfareArea,
      },
      { host: boundary.hostAddress },
    );
    // The welfare area: receipts in its namespace, with its own SQLite database and nothing of the municipality's but public keys.
    apps.receipts = await startApp(
      'receipts',
      {
        TRUSTED_ISSUERS: trustFiles.welfareArea,
        ...kafkaOf('receipts'),
        DATA_DIR: join(folder, 'welfare-area-data'),
        PORT: String(receiptsPort),
        AUDIT_SIGNING_KEY: keys.welfareArea,
        AUDIT_ORIGIN: origins.welfareArea,
        PEER_AUDIT_KEY: verifierKeyOf(keys.municipality),
        PEER_AUDIT_URL: apps.disclosure.url,
        PEER_AUDIT_ORIGIN: origins.municipality,
      },
      { host: boundary.innerAddress, wrap: boundary.wrap },
    );
  }, 300_000);

  afterAll(async () => {
    await Promise.all(Object.values(apps).map((app) => app.stop()));
    for (const child of children) child.kill('SIGTERM');
    if (broker) execFileSync('bash', [kafkaScript, 'stop'], { env: broker.env, stdio: 'ignore' });
    for (const db of databases) await db.drop();
    boundary?.remove();
    rmSync(folder, { recursive: true, force: true });
  }, 120_000);

  /** A client holding a token from the issuer of the user's own party. */
  const as = async (issuer: IssuerName, sub: string, role: string, org?: string) => Client.raw(await requestLocalToken(issuerSpec(issuer)!, issuerEnv, { sub, role, org }, 3600));
  const url = (app: keyof typeof apps, path: string) => `${apps[app]!.url}${path}`;
  const ok = (answer: Answer): Answer => {
    if (![200, 201].includes(answer.status)) throw new Error(`expected 200/201, got ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer;
  };

  async function disclosureRows(sql: string, params: unknown[]): Promise<unknown[]> {
    const client = new PgClient({ connectionString: disclosureDb.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  /** Runs test/e2e/fixtures/kafka-probe.ts where the welfare area's processes run, as `principal` (none: no credentials). */
  function probeFromWelfareArea(principal: string | undefined, actions: unknown[]): Promise<Outcome[]> {
    const argv = boundary.wrap(swc('test/e2e/fixtures/kafka-probe.ts'));
    const env = {
      PATH: process.env.PATH,
      SWC_NODE_PROJECT: join(root, 'tsconfig.json'),
      PROBE_BROKERS: broker!.brokers,
      PROBE_CA_FILE: broker!.caFile,
      ...(principal ? { PROBE_PRINCIPAL: principal, PROBE_PASSWORD_FILE: join(broker!.credentialsDir, `${principal}.password`) } : {}),
      PROBE_ACTIONS: JSON.stringify(actions),
    };
    return new Promise((resolve, reject) =>
      execFile(argv[0]!, argv.slice(1), { cwd: root, env, timeout: 90_000 }, (error, stdout, stderr) => (error ? reject(new Error(`probe failed: ${stderr}`)) : resolve(JSON.parse(stdout.trim().split('\n').pop()!)))),
    );
  }

  it("walks the seed's story with each party's own issuer, receipts and mutual witnessing across the boundary", async () => {
    const admin = await as('municipality', id('admin'), 'school_admin', LOCAL_MUNICIPALITY);
    const sis = await as('municipality', id('sis'), 'sis', LOCAL_MUNICIPALITY);
    const municipalityAuditor = await as('municipality', id('m-auditor'), 'auditor', LOCAL_MUNICIPALITY);
    const welfareAdmin = await as('welfare-area', id('w-admin'), 'welfare_admin', LOCAL_WELFARE_AREA);
    const welfareAuditor = await as('welfare-area', id('w-auditor'), 'auditor', LOCAL_WELFARE_AREA);
    const asCurator = await as('welfare-area', curator, 'curator', LOCAL_WELFARE_AREA);
    const asGuardian = await as('citizen', guardian, 'guardian');

    ok(await admin.post(url('roster', '/v1/schools'), { schoolId: school, name: 'Rajakoulu' }));
    ok(await admin.put(url('roster', `/v1/schools/${school}/service`), { welfareAreaId }));
    ok(await admin.post(url('roster', '/v1/students'), { studentId: student, schoolId: school, name: 'Raja Oppilas', birthDate: '2012-05-06', group: '8B' }));
    ok(await admin.post(url('roster', `/v1/students/${student}/guardians`), { guardianId: guardian, name: 'Raja Huoltaja', contact: { email: 'huoltaja@example.invalid' } }));
    ok(await welfareAdmin.post(url('roster', '/v1/assignments'), { assignmentId: id('a-curator'), professionalId: curator, role: 'curator', welfareAreaId, schoolId: school, validFrom: '2020-01-01' }));
    ok(await sis.post(url('roster', `/v1/students/${student}/records`), { recordId: id('r1'), category: 'absences', date: '2026-02-02', hours: 2 }));
    await eventually(
      async () => (await disclosureRows('SELECT 1 FROM dv_guardian_links WHERE student_id = $1 AND active', [student])).length === 1 &&
        (await disclosureRows('SELECT 1 FROM dv_assignments WHERE assignment_id = $1', [id('a-curator')])).length === 1,
      60_000,
      () => `disclosure's view did not catch up:\n${apps.disclosure!.output().slice(-3000)}`,
    );

    // identification without consent; absences once the guardian (strongly identified, no organisation) consents
    const request = (body: Record<string, unknown>) => asCurator.post(url('disclosure', '/v1/disclosures'), { requestId: randomUUID(), studentId: student, purpose: 'student welfare assessment', ...body });
    const identification = ok(await request({ categories: ['identification'], basis: 'identification' }));
    expect(identification.body.outcome).toBe('permit');
    expect(ok(await request({ categories: ['absences'], basis: 'consent' })).body.outcome).toBe('deny');
    let granted!: Answer;
    await eventually(
      async () => (granted = await asGuardian.post(url('consent', '/v1/consents'), { studentId: student, categories: ['absences'], recipient: { welfareAreaId, roles: ['curator'] }, purpose: 'support' })).status === 201,
      60_000,
      () => `consent never accepted the guardian: ${granted?.status} ${JSON.stringify(granted?.body)}`,
    );
    const absences = ok(await request({ categories: ['absences'], basis: 'consent', consistentWith: granted.body.positionToken }));
    expect(absences.body.outcome).toBe('permit');
    expect(absences.body.data.absences).toHaveLength(1);

    // the curator acknowledges it on the welfare area's own log, inside its namespace
    const receipt = url('receipts', `/v1/disclosures/${absences.body.disclosureId}/receipt`);
    let acknowledged!: Answer;
    await eventually(
      async () => [200, 201].includes((acknowledged = await asCurator.post(receipt, { receivedCategories: ['absences'], dataHash: absences.body.dataHash })).status),
      60_000,
      () => `receipts never learned of the release: ${acknowledged?.status} ${JSON.stringify(acknowledged?.body)}\n${apps.receipts!.output().slice(-3000)}`,
    );
    // the municipality records the same receipt from the welfare area's topic
    await eventually(
      async () => (ok(await municipalityAuditor.get(url('disclosure', '/v1/audit/receipts/missing'))).body.disclosures as { disclosureId: string }[]).every((d) => d.disclosureId !== absences.body.disclosureId),
      60_000,
      () => `disclosure did not record the receipt:\n${apps.disclosure!.output().slice(-3000)}`,
    );

    // each party cosigns the other's checkpoint, each checking it against the other's key
    const municipalityCheckpoint = ok(await municipalityAuditor.post(url('disclosure', '/v1/audit/log/checkpoints'))).body as { size: number };
    await eventually(async () => (ok(await municipalityAuditor.get(url('disclosure', '/v1/audit/log/witness'))).body.ownCosignedByPeer?.size ?? -1) === municipalityCheckpoint.size, 60_000,
      () => `the welfare area did not cosign the municipality's checkpoint:\n${apps.receipts!.output().slice(-3000)}`);
    const welfareCheckpoint = ok(await welfareAuditor.post(url('receipts', '/v1/audit/log/checkpoints'))).body as { size: number };
    expect(welfareCheckpoint.size).toBe(1);
    await eventually(async () => (ok(await welfareAuditor.get(url('receipts', '/v1/audit/log/witness'))).body.ownCosignedByPeer?.size ?? -1) === welfareCheckpoint.size, 60_000,
      () => `the municipality did not cosign the welfare area's checkpoint:\n${apps.disclosure!.output().slice(-3000)}`);
    for (const [app, auditor, own, peer] of [
      ['disclosure', municipalityAuditor, keys.municipality, keys.welfareArea],
      ['receipts', welfareAuditor, keys.welfareArea, keys.municipality],
    ] as const) {
      const witnessed = ok(await auditor.get(url(app, '/v1/audit/log/witness'))).body;
      expect(witnessed.alarms).toEqual([]);
      expect(openCheckpoint(witnessed.ownCosignedByPeer.note, [verifierKeyOf(own)]).checkpoint.size).toBe(witnessed.ownCosignedByPeer.size);
      expect(openCosignatures(witnessed.ownCosignedByPeer.note, [cosignerKeyOf(peer)])).toHaveLength(1);
    }

    // each party accepts only the issuers its trust file names, for what it grants them
    expect((await municipalityAuditor.get(url('receipts', '/v1/receipts/missing'))).body.detail).toMatch(/issuer/);
    expect((await (await as('welfare-area', id('w-admin'), 'welfare_admin', LOCAL_WELFARE_AREA)).get(url('receipts', '/v1/receipts/missing'))).status).toBe(401);
  }, 300_000);

  it("refuses the welfare area's principal, from inside its namespace, the municipality's roster and consent topics", async () => {
    const topics = [Topics.roster, Topics.consent, Topics.disclosure];
    const outcomes = await probeFromWelfareArea('receipts', topics.map((topic) => ({ consume: topic, group: `receipts-probe-${run}` })));
    expect(outcomes).toEqual([
      expect.objectContaining({ ok: false, type: 'TOPIC_AUTHORIZATION_FAILED' }),
      expect.objectContaining({ ok: false, type: 'TOPIC_AUTHORIZATION_FAILED' }),
      { ok: true }, // its own feed, the municipality's disclosures: what it is there for
    ]);
  }, 120_000);

  it('refuses the forged assignment of issue 11 from the welfare area, with its credentials and with none, and disclosure\'s view is unchanged', async () => {
    const forgedPsychologist = id('forged-psychologist');
    const forged = forgedMessage(ProfessionalAssignedV1, {
      assignmentId: id('a-forged'),
      professionalId: forgedPsychologist,
      role: 'psychologist',
      welfareAreaId,
      schoolId: school,
      validFrom: '2020-01-01',
    });
    const message = { key: forged.key!.toString(), value: forged.value!.toString(), headers: Object.fromEntries(Object.entries(forged.headers!).map(([k, v]) => [k, String(v)])) };
    expect(await probeFromWelfareArea('receipts', [{ produce: Topics.roster, message }])).toEqual([expect.objectContaining({ ok: false, type: 'TOPIC_AUTHORIZATION_FAILED' })]);
    expect(await probeFromWelfareArea(undefined, [{ produce: Topics.roster, message }])).toEqual([expect.objectContaining({ ok: false, type: 'KafkaJSConnectionClosedError' })]);

    // nothing reached the topic, the view, or the data: the invented psychologist gets nothing
    const admin = createKafka({
      brokers: broker!.brokers,
      clientId: `two-party-reader-${run}`,
      logger: silentLogger,
      security: { mechanism: 'scram-sha-512', username: 'admin', password: readFileSync(join(broker!.credentialsDir, 'admin.password'), 'utf8').trim(), caPem: readFileSync(broker!.caFile, 'utf8') },
    });
    // the whole topic, to its end: every message the broker holds
    const tools = admin.admin();
    await tools.connect();
    const held = (await tools.fetchTopicOffsets(Topics.roster)).reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
    await tools.disconnect();
    const roster = await readTopic(admin, Topics.roster, held, 60_000);
    expect(roster.some((m) => m.value?.toString().includes(id('a-curator')))).toBe(true);
    expect(roster.filter((m) => m.value?.toString().includes(forgedPsychologist))).toEqual([]);
    expect(await disclosureRows('SELECT 1 FROM dv_assignments WHERE professional_id = $1', [forgedPsychologist])).toEqual([]);
    const psychologist = await as('welfare-area', forgedPsychologist, 'psychologist', LOCAL_WELFARE_AREA);
    const answer = ok(await psychologist.post(url('disclosure', '/v1/disclosures'), { requestId: randomUUID(), studentId: student, categories: ['identification'], basis: 'identification', purpose: 'forged' }));
    expect(answer.body.outcome).toBe('deny');
    expect(answer.body.data).toEqual({});
  }, 120_000);

  it('leaves the welfare area nothing else of the municipality to reach: not its database, not roster, not consent', async () => {
    if (!boundary.isolated) return console.warn(`two-party test: no namespace (${boundary.unavailable}); nothing to check about reachability on loopback`);
    const targets = [
      ['PostgreSQL', boundary.hostAddress, 5432],
      ['roster', boundary.hostAddress, Number(new URL(apps.roster!.url).port)],
      ['consent', boundary.hostAddress, Number(new URL(apps.consent!.url).port)],
      ['disclosure', boundary.hostAddress, Number(new URL(apps.disclosure!.url).port)],
    ] as const;
    const script = `const net=require('net');const [h,p]=process.argv.slice(1);const s=net.connect(Number(p),h);s.setTimeout(2000);s.on('connect',()=>{console.log('open');process.exit(0)});s.on('error',()=>{console.log('closed');process.exit(0)});s.on('timeout',()=>{console.log('closed');process.exit(0)});`;
    const reach = (host: string, port: number) => {
      const argv = boundary.wrap([process.execPath, '-e', script, host, String(port)]);
      return execFileSync(argv[0]!, argv.slice(1)).toString().trim();
    };
    expect(targets.map(([name, host, port]) => `${name}: ${reach(host, port)}`)).toEqual(['PostgreSQL: closed', 'roster: closed', 'consent: closed', 'disclosure: open']);
  }, 60_000);
});

/** Two distinct free ports: the broker's listener and its controller's. */
async function twoFreePorts(): Promise<[number, number]> {
  const first = await freePort();
  let second = await freePort();
  while (second === first) second = await freePort();
  return [first, second];
}
