import { randomBytes, randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { eventually } from '@silta/testing';
import { Client, startSilta, testSecrets, type Answer, type RunningSilta, type StoreName } from './harness';

/**
 * A cluster holding two of each kind of organisation, so every object has a neighbour of the
 * wrong organisation: municipalities A and B; welfare areas W1 and W2. W1 serves A's school `A1`,
 * W2 serves A's school `A2` and B's school `B1` (disclosure runs A's policy, so W2 needs a school
 * of A for its own decisions). Every profession of both welfare areas is assigned where its area
 * serves, and the W2 curator has the same `sub` as the W1 curator: identity is (organisation, sub).
 */

export const PROFESSIONS = ['curator', 'psychologist', 'nurse', 'doctor'] as const;
export type Profession = (typeof PROFESSIONS)[number];

/** The callers of the fixture, by name: `<role>.<organisation>` or a student's / guardian's own name. */
export type Party =
  | 'admin.A' | 'admin.B' | 'sis.A' | 'sis.B'
  | 'welfareAdmin.W1' | 'welfareAdmin.W2'
  | 'curator.W1' | 'psychologist.W1' | 'nurse.W1' | 'doctor.W1'
  | 'curator.W2' | 'psychologist.W2' | 'nurse.W2' | 'doctor.W2'
  | 'auditor.A' | 'auditor.B' | 'auditor.W1' | 'auditor.W2'
  | 'guardian.A1' | 'guardian.A1b' | 'guardian.A2' | 'guardian.B1'
  | 'student.A1' | 'student.A2' | 'student.B1';

export interface TwoOrgIds {
  readonly run: string;
  /** Bare ids as roster records them; the token's `org` is `municipality:<id>` / `welfare-area:<id>`. */
  readonly municipality: { readonly A: string; readonly B: string };
  readonly welfareArea: { readonly W1: string; readonly W2: string };
  /** A1 (A, served by W1), A2 (A, by W2), B1 (B, by W2), A9 (A, registered, serving not declared). */
  readonly school: { readonly A1: string; readonly A2: string; readonly B1: string; readonly A9: string };
  /** A1, A1b (A1), A1x (A1, spare for a transfer), A2 (A2), B1 (B1). */
  readonly student: { readonly A1: string; readonly A1b: string; readonly A1x: string; readonly A2: string; readonly B1: string };
  /** guardian of the student of the same name. */
  readonly guardian: { readonly A1: string; readonly A1b: string; readonly A2: string; readonly B1: string };
  /** Professionals' subs; the curator's is the same in both welfare areas. */
  readonly professional: Record<'W1' | 'W2', Record<Profession, string>>;
  /** Assignment ids: `<area>.<profession>` at the area's A school, `W2.<profession>.B1`, and W1's spare nurse assignment. */
  readonly assignment: Record<string, string>;
}

export interface TwoOrgs {
  readonly ids: TwoOrgIds;
  readonly silta: RunningSilta;
  readonly secrets: ReturnType<typeof testSecrets>;
  readonly as: Record<Party, Client>;
  /** Token for a party that is not in the fixture's list. */
  client(sub: string, role: Parameters<typeof Client.as>[2], org?: string): Promise<Client>;
  url(app: StoreName, path: string): string;
  /** Rows in every app's event store. */
  counts(): Promise<Record<StoreName, number>>;
  /** Waits until no app's event store grows for `quietMs` (relays, witnesses, receipts settle), and returns the counts. */
  quiesce(quietMs?: number): Promise<Record<StoreName, number>>;
  query<T = Record<string, unknown>>(app: StoreName, sql: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/** Throws unless the answer is one of `status` (2xx by default), naming what was asked. */
export function ok(answer: Answer, what = 'request', status: readonly number[] = [200, 201, 204]): Answer {
  if (!status.includes(answer.status)) throw new Error(`${what}: expected ${status.join('/')}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer;
}

/**
 * Starts roster, consent, disclosure (A's policy) and receipts on fresh databases with a consumer
 * group suffix of their own, and builds the two-organisation roster: schools, service relations,
 * students, guardians and assignments, and waits until consent's and disclosure's views hold them.
 * Write rate limits are lifted unless `env` sets them.
 */
export async function startTwoOrgs(label: string, env: Record<string, string> = {}): Promise<TwoOrgs> {
  const run = randomBytes(4).toString('hex');
  const id = (name: string) => `${name}-${run}`;
  const ids: TwoOrgIds = {
    run,
    municipality: { A: id('mun-a'), B: id('mun-b') },
    welfareArea: { W1: id('wa-1'), W2: id('wa-2') },
    school: { A1: id('school-a1'), A2: id('school-a2'), B1: id('school-b1'), A9: id('school-a9') },
    student: { A1: id('student-a1'), A1b: id('student-a1b'), A1x: id('student-a1x'), A2: id('student-a2'), B1: id('student-b1') },
    guardian: { A1: id('guardian-a1'), A1b: id('guardian-a1b'), A2: id('guardian-a2'), B1: id('guardian-b1') },
    professional: {
      W1: { curator: id('curator'), psychologist: id('psychologist-w1'), nurse: id('nurse-w1'), doctor: id('doctor-w1') },
      W2: { curator: id('curator'), psychologist: id('psychologist-w2'), nurse: id('nurse-w2'), doctor: id('doctor-w2') },
    },
    assignment: {},
  };
  const secrets = testSecrets();
  const silta = await startSilta(
    label,
    secrets,
    { CONSISTENCY_WAIT_MS: '10000', AUDIT_CHECKPOINT_INTERVAL_MS: env.AUDIT_CHECKPOINT_INTERVAL_MS ?? '0' },
    { receipts: true, groupSuffix: `.${label}-${run}`, municipality: ids.municipality.A, env: { RATE_LIMIT_WRITES_PER_MINUTE: '1000000', AUDIT_CHECKPOINT_INTERVAL_MS: '0', ...env } },
  );
  const s = secrets.JWT_SECRET;
  const mun = (m: 'A' | 'B') => `municipality:${ids.municipality[m]}`;
  const area = (w: 'W1' | 'W2') => `welfare-area:${ids.welfareArea[w]}`;
  const entries: [Party, Promise<Client>][] = [
    ['admin.A', Client.as(s, id('admin-a'), 'school_admin', mun('A'))],
    ['admin.B', Client.as(s, id('admin-b'), 'school_admin', mun('B'))],
    ['sis.A', Client.as(s, id('sis-a'), 'sis', mun('A'))],
    ['sis.B', Client.as(s, id('sis-b'), 'sis', mun('B'))],
    ['welfareAdmin.W1', Client.as(s, id('wadmin-1'), 'welfare_admin', area('W1'))],
    ['welfareAdmin.W2', Client.as(s, id('wadmin-2'), 'welfare_admin', area('W2'))],
    ...(['W1', 'W2'] as const).flatMap((w) => PROFESSIONS.map((p): [Party, Promise<Client>] => [`${p}.${w}` as Party, Client.as(s, ids.professional[w][p], p, area(w))])),
    ['auditor.A', Client.as(s, id('auditor-a'), 'auditor', mun('A'))],
    ['auditor.B', Client.as(s, id('auditor-b'), 'auditor', mun('B'))],
    ['auditor.W1', Client.as(s, id('auditor-w1'), 'auditor', area('W1'))],
    ['auditor.W2', Client.as(s, id('auditor-w2'), 'auditor', area('W2'))],
    ...(['A1', 'A1b', 'A2', 'B1'] as const).map((g): [Party, Promise<Client>] => [`guardian.${g}` as Party, Client.as(s, ids.guardian[g], 'guardian')]),
    ...(['A1', 'A2', 'B1'] as const).map((st): [Party, Promise<Client>] => [`student.${st}` as Party, Client.as(s, ids.student[st], 'student')]),
  ];
  const as = Object.fromEntries(await Promise.all(entries.map(async ([name, client]) => [name, await client] as const))) as Record<Party, Client>;

  const url = (app: StoreName, path: string) => `${silta.apps[app]!.url}${path}`;
  // One connection per database for the fixture's whole life: tests count rows around every request.
  const connections = new Map<StoreName, Promise<PgClient>>();
  const connection = (app: StoreName) => {
    let client = connections.get(app);
    if (!client) {
      const pg = new PgClient({ connectionString: silta.databases[app]!.url });
      client = pg.connect().then(() => pg);
      connections.set(app, client);
    }
    return client;
  };
  async function query<T>(app: StoreName, sql: string, params: unknown[] = []): Promise<T[]> {
    return (await (await connection(app)).query(sql, params)).rows as T[];
  }
  const stores = Object.keys(silta.databases) as StoreName[];
  async function counts(): Promise<Record<StoreName, number>> {
    const rows = await Promise.all(stores.map((app) => query<{ n: string }>(app, 'SELECT count(*) AS n FROM silta_events')));
    return Object.fromEntries(stores.map((app, i) => [app, Number(rows[i]![0]!.n)])) as Record<StoreName, number>;
  }
  async function quiesce(quietMs = 700): Promise<Record<StoreName, number>> {
    let last = await counts();
    let since = Date.now();
    const deadline = Date.now() + 30_000;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const now = await counts();
      if (JSON.stringify(now) !== JSON.stringify(last)) {
        last = now;
        since = Date.now();
      } else if (Date.now() - since >= quietMs) return now;
      if (Date.now() > deadline) throw new Error(`the event stores never settled: ${JSON.stringify(now)}`);
    }
  }

  const fixture: TwoOrgs = {
    ids,
    silta,
    secrets,
    as,
    client: (sub, role, org) => Client.as(s, sub, role, org),
    url,
    counts,
    quiesce,
    query,
    stop: async () => {
      for (const client of connections.values()) await (await client).end().catch(() => undefined);
      await silta.stop();
    },
  };
  try {
    await buildRoster(fixture);
  } catch (error) {
    await fixture.stop();
    throw error;
  }
  return fixture;
}

async function buildRoster(f: TwoOrgs): Promise<void> {
  const { ids, as, url } = f;
  const roster = (path: string) => url('roster', path);
  const schools: [Party, string, string | undefined][] = [
    ['admin.A', ids.school.A1, ids.welfareArea.W1],
    ['admin.A', ids.school.A2, ids.welfareArea.W2],
    ['admin.B', ids.school.B1, ids.welfareArea.W2],
    ['admin.A', ids.school.A9, undefined],
  ];
  for (const [admin, schoolId, servedBy] of schools) {
    ok(await as[admin].post(roster('/v1/schools'), { schoolId, name: `Koulu ${schoolId}` }), `register ${schoolId}`);
    if (servedBy) ok(await as[admin].put(roster(`/v1/schools/${schoolId}/service`), { welfareAreaId: servedBy }), `declare ${servedBy} serves ${schoolId}`);
  }
  const students: [Party, keyof TwoOrgIds['student'], string][] = [
    ['admin.A', 'A1', ids.school.A1],
    ['admin.A', 'A1b', ids.school.A1],
    ['admin.A', 'A1x', ids.school.A1],
    ['sis.A', 'A2', ids.school.A2],
    ['admin.B', 'B1', ids.school.B1],
  ];
  for (const [admin, key, schoolId] of students) {
    const studentId = ids.student[key];
    ok(await as[admin].post(roster('/v1/students'), { studentId, schoolId, name: `Oppilas ${key}`, birthDate: '2012-03-04', group: '7A' }), `enrol ${studentId}`);
  }
  for (const key of ['A1', 'A1b', 'A2', 'B1'] as const) {
    const admin: Party = key === 'B1' ? 'admin.B' : 'admin.A';
    ok(
      await as[admin].post(roster(`/v1/students/${ids.student[key]}/guardians`), { guardianId: ids.guardian[key], name: `Huoltaja ${key}`, contact: { email: `huoltaja.${key.toLowerCase()}@example.invalid` } }),
      `link guardian of ${key}`,
    );
  }
  const assignment = ids.assignment as Record<string, string>;
  const assign = async (w: 'W1' | 'W2', profession: Profession, schoolId: string, key: string) => {
    assignment[key] = `asg-${key.replace(/\./g, '-').toLowerCase()}-${ids.run}`;
    ok(
      await as[`welfareAdmin.${w}`].post(roster('/v1/assignments'), {
        assignmentId: assignment[key],
        professionalId: ids.professional[w][profession],
        role: profession,
        welfareAreaId: ids.welfareArea[w],
        schoolId,
        validFrom: '2020-01-01',
      }),
      `assign ${key}`,
    );
  };
  for (const p of PROFESSIONS) {
    await assign('W1', p, ids.school.A1, `W1.${p}`);
    await assign('W2', p, ids.school.A2, `W2.${p}`);
    await assign('W2', p, ids.school.B1, `W2.${p}.B1`);
  }
  await assign('W1', 'nurse', ids.school.A1, 'W1.nurse.spare');
  for (const [sis, key] of [['sis.A', 'A1'], ['sis.A', 'A2'], ['sis.B', 'B1']] as const) {
    ok(
      await as[sis].post(roster(`/v1/students/${ids.student[key]}/records`), { recordId: `rec-${key}-${ids.run}`, category: 'absences', date: '2026-01-12', hours: 2, reason: 'illness' }),
      `ingest a record for ${key}`,
    );
  }
  const assignmentIds = Object.values(assignment);
  const studentIds = Object.values(ids.student);
  await eventually(
    async () => {
      const [a, st] = await Promise.all([
        f.query<{ n: string }>('disclosure', 'SELECT count(*) AS n FROM dv_assignments WHERE assignment_id = ANY($1)', [assignmentIds]),
        f.query<{ n: string }>('disclosure', 'SELECT count(*) AS n FROM dv_students WHERE student_id = ANY($1)', [studentIds]),
      ]);
      return Number(a[0]!.n) === assignmentIds.length && Number(st[0]!.n) === studentIds.length;
    },
    90_000,
    () => `disclosure's view did not catch up with the roster:\n${f.silta.apps.disclosure.output().slice(-3000)}`,
  );
}

/** A consent a guardian granted, once consent's roster view knows the guardian (retried until then). */
export async function grantConsent(
  f: TwoOrgs,
  guardian: Party,
  studentId: string,
  welfareAreaId: string,
  categories: readonly string[] = ['absences', 'grades'],
  roles: readonly string[] = ['curator', 'psychologist'],
): Promise<{ consentId: string; version: number; positionToken?: string }> {
  let answer: Answer | undefined;
  await eventually(
    async () => {
      answer = await f.as[guardian].post(f.url('consent', '/v1/consents'), { studentId, categories, recipient: { welfareAreaId, roles }, purpose: 'student welfare assessment' });
      return answer.status === 201;
    },
    60_000,
    () => `consent never accepted ${guardian} for ${studentId}: ${answer?.status} ${JSON.stringify(answer?.body)}`,
  );
  return answer!.body as { consentId: string; version: number; positionToken?: string };
}

/** A disclosure request of `party` about `studentId`; fresh requestId and a purpose unless given. */
export function requestDisclosure(f: TwoOrgs, party: Party, studentId: string, body: Record<string, unknown>): Promise<Answer> {
  return f.as[party].post(f.url('disclosure', '/v1/disclosures'), { requestId: randomUUID(), studentId, purpose: 'student welfare assessment', ...body });
}

/** A justification long enough for every shipped policy. */
export const JUSTIFICATION = 'The pupil has been absent repeatedly and the case needs an urgent assessment today.';
