import fc from 'fast-check';
import { ID_PATTERN, MAX_ID_LENGTH } from '@silta/contracts';
import { signInternalToken } from '@silta/platform';
import { AnswerLog } from '../api-surface';
import { Client, type Answer, type StoreName } from './harness';
import { JUSTIFICATION, grantConsent, ok, requestDisclosure, startTwoOrgs, type Party, type TwoOrgs } from './fixtures-two-orgs';

/**
 * Bad input is 4xx, always, and writes nothing (DESIGN §6 invariant 6; issue 10 item 9 and its
 * acceptance). Against one running cluster:
 * - fast-check mutates a valid body of every write endpoint, guided by the JSON schema the app
 *   publishes in /openapi.json (the controllers' zod schemas): wrong types, missing and extra
 *   fields, huge strings, lone surrogates, NUL / CR LF / bidi characters in ids, nested junk;
 * - raw bodies no JSON client would send: oversized, form-encoded, text/plain, invalid JSON,
 *   invalid UTF-8, escaped lone surrogates;
 * - odd ids in every path parameter of every route.
 * Every answer must be < 500, and after every 4xx no app's event store has gained a row.
 * FUZZ_SEED reruns a failing case; FUZZ_RUNS changes the number of runs per endpoint.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_410);
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const BODY_LIMIT_BYTES = 256 * 1024;

interface Valid {
  readonly as: Party;
  readonly path: string;
  readonly body?: Record<string, unknown>;
}

interface Context {
  readonly f: TwoOrgs;
  /** A consent of guardian A1 for student A1 that fuzzing may pause, resume or withdraw. */
  readonly consentId: string;
  /** A released identification disclosure of the W1 curator about student A1, and its data hash. */
  readonly released: { readonly disclosureId: string; readonly dataHash: string };
  /** An emergency disclosure of the W1 curator about student A1. */
  readonly emergencyId: string;
}

/** A valid call of every write endpoint; `fresh` is new for every run, so a body that stays valid creates something new. */
const writes: Record<string, (c: Context, fresh: string) => Valid> = {
  'roster POST /v1/schools': (_, fresh) => ({ as: 'admin.A', path: '/v1/schools', body: { schoolId: `school-${fresh}`, name: 'Fuzz school' } }),
  'roster PUT /v1/schools/{schoolId}/service': ({ f }) => ({ as: 'admin.A', path: `/v1/schools/${f.ids.school.A9}/service`, body: { welfareAreaId: f.ids.welfareArea.W1 } }),
  'roster POST /v1/students': ({ f }, fresh) => ({
    as: 'admin.A',
    path: '/v1/students',
    body: { studentId: `student-${fresh}`, schoolId: f.ids.school.A1, name: 'Fuzz Oppilas', birthDate: '2012-02-29', group: '8C' },
  }),
  'roster POST /v1/students/{studentId}/transfer': ({ f }) => ({ as: 'admin.A', path: `/v1/students/${f.ids.student.A1x}/transfer`, body: { schoolId: f.ids.school.A2 } }),
  'roster POST /v1/students/{studentId}/guardians': ({ f }, fresh) => ({
    as: 'admin.A',
    path: `/v1/students/${f.ids.student.A1b}/guardians`,
    body: { guardianId: `guardian-${fresh}`, name: 'Fuzz Huoltaja', contact: { email: 'fuzz@example.invalid', phone: '+358 40 1234567' } },
  }),
  'roster DELETE /v1/students/{studentId}/guardians/{guardianId}': ({ f }, fresh) => ({ as: 'admin.A', path: `/v1/students/${f.ids.student.A1b}/guardians/guardian-${fresh}` }),
  'roster PUT /v1/students/{studentId}/capacity': ({ f }) => ({ as: 'admin.A', path: `/v1/students/${f.ids.student.A1b}/capacity`, body: { decidesForSelf: false } }),
  'roster PUT /v1/students/{studentId}/welfare-access': ({ f }) => ({ as: 'admin.A', path: `/v1/students/${f.ids.student.A1b}/welfare-access`, body: { active: true } }),
  'roster PUT /v1/students/{studentId}/education': ({ f }) => ({
    as: 'admin.A',
    path: `/v1/students/${f.ids.student.A1b}/education`,
    body: { educationForm: 'basic_education', inCompulsoryEducation: false },
  }),
  'roster POST /v1/assignments': ({ f }, fresh) => ({
    as: 'welfareAdmin.W1',
    path: '/v1/assignments',
    body: { assignmentId: `asg-${fresh}`, professionalId: f.ids.professional.W1.doctor, role: 'doctor', welfareAreaId: f.ids.welfareArea.W1, schoolId: f.ids.school.A1, validFrom: '2025-01-01', validUntil: '2027-12-31' },
  }),
  'roster DELETE /v1/assignments/{assignmentId}': (_, fresh) => ({ as: 'welfareAdmin.W1', path: `/v1/assignments/asg-${fresh}` }),
  'roster POST /v1/students/{studentId}/records': ({ f }, fresh) => ({
    as: 'sis.A',
    path: `/v1/students/${f.ids.student.A1}/records`,
    body: { recordId: `rec-${fresh}`, category: 'absences', date: '2026-03-02', hours: 3, reason: 'flu' },
  }),
  'consent POST /v1/consents': ({ f }) => ({
    as: 'guardian.A1',
    path: '/v1/consents',
    body: { studentId: f.ids.student.A1, categories: ['absences'], recipient: { welfareAreaId: f.ids.welfareArea.W1, roles: ['curator'] }, purpose: 'attendance follow-up', validUntil: '2027-06-01T00:00:00Z' },
  }),
  'consent POST /v1/consents/{consentId}/withdraw': ({ consentId }) => ({ as: 'guardian.A1', path: `/v1/consents/${consentId}/withdraw`, body: { reason: 'changed my mind' } }),
  'consent POST /v1/consents/{consentId}/pause': ({ consentId }) => ({ as: 'guardian.A1', path: `/v1/consents/${consentId}/pause`, body: {} }),
  'consent POST /v1/consents/{consentId}/resume': ({ consentId }) => ({ as: 'guardian.A1', path: `/v1/consents/${consentId}/resume`, body: {} }),
  'consent PUT /v1/students/{studentId}/guardian-visibility': ({ f }) => ({ as: 'student.A1', path: `/v1/students/${f.ids.student.A1}/guardian-visibility`, body: { hiddenRoles: ['curator'] } }),
  'consent PUT /v1/students/{studentId}/capacity/{field}': ({ f }) => ({
    as: 'nurse.W1',
    path: `/v1/students/${f.ids.student.A1}/capacity/health_care`,
    body: { decidesForSelf: false, assessedOn: new Date().toISOString().slice(0, 10) },
  }),
  'consent POST /v1/students/{studentId}/guardian-visibility/assessment': ({ f }) => ({
    as: 'nurse.W1',
    path: `/v1/students/${f.ids.student.A1}/guardian-visibility/assessment`,
    body: { outcome: 'upheld', why: 'The ban does not clearly conflict with the interest of the child.' },
  }),
  'disclosure POST /v1/disclosures': ({ f }, fresh) => ({
    as: 'curator.W1',
    path: '/v1/disclosures',
    body: { requestId: `req-${fresh}`, studentId: f.ids.student.A1, categories: ['identification'], basis: 'identification', purpose: 'first meeting' },
  }),
  'disclosure POST /v1/disclosures/explain': ({ f }, fresh) => ({
    as: 'curator.W1',
    path: '/v1/disclosures/explain',
    body: { requestId: `exp-${fresh}`, studentId: f.ids.student.A1, categories: ['absences'], basis: 'necessity', purpose: 'case assessment', caseId: `case-${fresh}`, justification: JUSTIFICATION },
  }),
  'disclosure POST /v1/audit/emergency-reviews/{disclosureId}': ({ emergencyId }) => ({ as: 'auditor.A', path: `/v1/audit/emergency-reviews/${emergencyId}`, body: { outcome: 'justified', note: 'seen' } }),
  'disclosure POST /v1/audit/log/checkpoints': () => ({ as: 'auditor.A', path: '/v1/audit/log/checkpoints' }),
  'receipts POST /v1/disclosures/{disclosureId}/receipt': ({ released }) => ({
    as: 'curator.W1',
    path: `/v1/disclosures/${released.disclosureId}/receipt`,
    body: { receivedCategories: ['identification'], dataHash: released.dataHash },
  }),
  'receipts POST /v1/audit/log/checkpoints': () => ({ as: 'auditor.W1', path: '/v1/audit/log/checkpoints' }),
};

/** Who may call each app's read routes with path ids, for the odd-id sweep (the role must pass, so the id is what is judged). */
const readers: Record<string, Party | ((c: Context) => Promise<Client>)> = {
  'roster GET /internal/v1/students/{studentId}/records': async ({ f }) => Client.raw(await signInternalToken(f.secrets.INTERNAL_TOKEN_SECRET, 'disclosure')),
  'roster GET /internal/v1/students/{studentId}/standing': async ({ f }) => Client.raw(await signInternalToken(f.secrets.INTERNAL_TOKEN_SECRET, 'disclosure')),
  'roster GET /v1/schools/{schoolId}/students': 'admin.A',
  'consent GET /v1/students/{studentId}/consents': 'guardian.A1',
  'consent GET /v1/students/{studentId}/guardian-visibility': 'student.A1',
  'consent GET /v1/students/{studentId}/capacity': 'student.A1',
  'disclosure GET /v1/disclosures/{disclosureId}': 'curator.W1',
  'disclosure GET /v1/students/{studentId}/disclosure-log': 'guardian.A1',
  'disclosure GET /v1/students/{studentId}/data-subject-report': 'auditor.A',
  'disclosure GET /v1/audit/log/proof/{eventId}': 'auditor.A',
  'receipts GET /v1/audit/log/proof/{eventId}': 'auditor.W1',
};

/**
 * Path ids outside the id alphabet (`^[A-Za-z0-9][\w.:-]*$`, at most 200): each must be a 400
 * naming the parameter — never a 2xx, a 5xx or a write. Already percent-encoded where the raw
 * character cannot appear in a URL; `%ED%A0%80` is a lone surrogate in (invalid) UTF-8, `%FF` no UTF-8 at all.
 */
const ODD_IDS = [
  'a%00b', '%00', 'a%0D%0Ab', 'a%0Ab', '%E2%80%AEabc', 'a%E2%81%A6b', '%ED%A0%80', 'a%ED%B0%80', '%FF%FE', '%C0%AF',
  'a'.repeat(201), '-leading-dash', '_x', 'a%20b', '%20a', 'a%2Fb', 'a%5Cb', '%F0%9F%98%80', 'a%3Bb', 'a%22b', 'a%27b', '%25', 'a*', "a'--",
];

const codeOf = (key: string) => key.split(' ') as [StoreName, string, string];

// ─── arbitraries derived from a JSON schema ────────────────────────────────────────────────────

interface JsonSchema {
  readonly type?: string;
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly items?: JsonSchema;
}

/** Every property a body may have (over the branches of a union), with its schema. */
function propertiesOf(schema: JsonSchema | undefined): Record<string, JsonSchema> {
  if (!schema) return {};
  const branches = [schema, ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
  return Object.assign({}, ...branches.map((b) => b.properties ?? {})) as Record<string, JsonSchema>;
}

const NASTY_STRINGS = [
  '', ' ', '\ud800', 'a\udc00b', '\udfff\ud800', 'x\u0000y', 'a\r\nb', '\r\n', '\u202eabc', 'a\u2066b\u2069', '\ufeffid', '\u0085', 'a\u2028b',
  '..', '../etc/passwd', 'a/b', 'a'.repeat(201), '\u{1d54f}'.repeat(120), '=HYPERLINK("x")', '+1', '-1', '@SUM(A1)', '__proto__', 'constructor',
  'null', 'true', '0', '1e309', '2026-02-30', '2026-13-01', '9999-12-31T24:00:00Z', "' OR 1=1 --", '<script>alert(1)</script>', '%00', '\\u0000',
];
const BAD_CHARS = ['\u0000', '\r\n', '\n', '\u202e', '\u2066', '\ud800', '\udc00', '\ufeff', '\u0007', ' ', '/', '\\', '"', '%', '\u00a0', '\u{1f600}'];

const hugeString = fc.constant('x'.repeat(BODY_LIMIT_BYTES + 50_000));
const nastyString = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 6 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ minLength: 190, maxLength: 260 }), weight: 1 },
  { arbitrary: hugeString, weight: 1 },
);
const junk: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: nastyString, weight: 6 },
  { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER + 2), fc.constant(-0)), weight: 2 },
  { arbitrary: fc.oneof(fc.boolean(), fc.constant(null)), weight: 2 },
  { arbitrary: fc.array(fc.oneof(nastyString, fc.integer(), fc.constant(null)), { maxLength: 5 }), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 2 },
  { arbitrary: fc.object({ maxDepth: 3, maxKeys: 5 }), weight: 1 },
);

type Body = unknown;
type Mutation = { readonly describe: string; readonly apply: (body: Body) => Body };

const asRecord = (body: Body): Record<string, unknown> => (body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as Record<string, unknown>) } : {});

/** Mutations of a body with these properties: one field of the wrong kind, missing, or with a bad character; extra fields; another body altogether. */
function mutations(properties: Record<string, JsonSchema>): fc.Arbitrary<Mutation> {
  const keys = Object.keys(properties);
  const options: fc.Arbitrary<Mutation>[] = [
    fc.tuple(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'org', 'sub', 'role', 'requester', 'actor')), junk).map(([key, value]) => ({
      describe: `extra field ${JSON.stringify(key)}`,
      apply: (body) => ({ ...asRecord(body), [key]: value }),
    })),
    junk.map((value) => ({ describe: 'another body altogether', apply: () => value })),
  ];
  if (keys.length) {
    const key = fc.constantFrom(...keys);
    options.push(
      fc.tuple(key, junk).map(([k, value]) => ({ describe: `${k} = junk`, apply: (body) => ({ ...asRecord(body), [k]: value }) })),
      key.map((k) => ({
        describe: `without ${k}`,
        apply: (body) => {
          const copy = asRecord(body);
          delete copy[k];
          return copy;
        },
      })),
      fc.tuple(key, fc.constantFrom(...BAD_CHARS), fc.nat()).map(([k, bad, at]) => ({
        describe: `${k} with ${JSON.stringify(bad)} inside`,
        apply: (body) => {
          const copy = asRecord(body);
          const value = typeof copy[k] === 'string' ? (copy[k] as string) : 'abc';
          const i = at % (value.length + 1);
          copy[k] = value.slice(0, i) + bad + value.slice(i);
          return copy;
        },
      })),
      fc.tuple(key, fc.jsonValue({ maxDepth: 5 })).map(([k, nested]) => ({ describe: `${k} nested in junk`, apply: (body) => ({ ...asRecord(body), [k]: { [k]: asRecord(body)[k], junk: nested } }) })),
      key.map((k) => ({ describe: `${k} as a one-element array`, apply: (body) => ({ ...asRecord(body), [k]: [asRecord(body)[k]] }) })),
    );
  }
  return fc.oneof(...options);
}

// ─── the test ───────────────────────────────────────────────────────────────────────────────────

describe('bad input, however odd, is a 4xx and writes nothing', () => {
  let f: TwoOrgs;
  let context: Context;
  const operations = new Map<string, { requestBody?: { content?: { 'application/json'?: { schema?: JsonSchema } } } }>();
  // Every answer of the sweep, to hold the declared statuses (test/fixtures/api-surface.json) to what the apps answer.
  const answers = new AnswerLog();

  beforeAll(async () => {
    f = await startTwoOrgs('fuzz');
    answers.listen(Client, Object.fromEntries((['roster', 'consent', 'disclosure', 'receipts'] as const).map((app) => [app, f.url(app, '')])));
    const { ids } = f;
    const consentId = (await grantConsent(f, 'guardian.A1', ids.student.A1, ids.welfareArea.W1)).consentId;
    const released = ok(await requestDisclosure(f, 'curator.W1', ids.student.A1, { categories: ['identification'], basis: 'identification' }), 'an identification disclosure').body;
    const emergency = ok(await requestDisclosure(f, 'curator.W1', ids.student.A1, { categories: ['identification'], basis: 'emergency', justification: JUSTIFICATION }), 'an emergency disclosure').body;
    if (released.outcome !== 'permit' || emergency.outcome !== 'permit') throw new Error(`the fixture's disclosures were not permitted: ${JSON.stringify({ released, emergency })}`);
    context = { f, consentId, released: { disclosureId: released.disclosureId, dataHash: released.dataHash }, emergencyId: emergency.disclosureId };
    for (const app of ['roster', 'consent', 'disclosure', 'receipts'] as const) {
      const document = ok(await Client.raw(undefined).get(f.url(app, '/openapi.json')), `${app} /openapi.json`).body as { paths: Record<string, Record<string, object>> };
      for (const [path, methods] of Object.entries(document.paths)) for (const [method, operation] of Object.entries(methods)) operations.set(`${app} ${method.toUpperCase()} ${path}`, operation);
    }
  }, 300_000);

  afterAll(() => f?.stop(), 60_000);

  /** Calls, and fails unless the answer is < 500 and, when it is a 4xx, nothing was written. */
  async function probe(what: string, send: () => Promise<Answer>): Promise<Answer> {
    const before = await f.counts();
    const answer = await send();
    if (answer.status >= 500) throw new Error(`${what}: answered ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 400)}`);
    if (answer.status >= 400) {
      if (!answer.contentType.startsWith('application/problem+json')) throw new Error(`${what}: answered ${answer.status} as ${answer.contentType || 'no content type'}, not a problem: ${String(JSON.stringify(answer.body)).slice(0, 200)}`);
      const after = await f.counts();
      const written = (Object.keys(before) as StoreName[]).filter((s) => after[s] !== before[s]);
      if (written.length) throw new Error(`${what}: answered ${answer.status} but wrote to ${written.map((s) => `${s} (+${after[s] - before[s]})`).join(', ')}`);
    } else {
      await f.quiesce(300); // a 2xx may have effects that land a moment later (relays, receipts): let them settle before the next count
    }
    return answer;
  }

  it('has a valid call for every write endpoint of every app', () => {
    const served = [...operations.keys()].filter((key) => !codeOf(key)[1].startsWith('GET'));
    expect(served.filter((key) => !(key in writes)).sort()).toEqual([]);
    expect(Object.keys(writes).filter((key) => !operations.has(key)).sort()).toEqual([]);
  });

  for (const key of Object.keys(writes)) {
    const [app, method] = codeOf(key);

    it(`${key}: fuzzed JSON bodies (seed ${SEED}, ${RUNS} runs)`, async () => {
      const operation = operations.get(key);
      if (!operation) throw new Error(`${key} is not in ${app}'s /openapi.json`);
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      const fresh = fc.uuid().map((u) => u.slice(0, 18));
      const valid = writes[key]!(context, 'control-0');
      const control = await probe(`${key} valid control`, () => f.as[valid.as].call(method, f.url(app, valid.path), valid.body ?? (method === 'DELETE' ? undefined : {})));
      // the valid body is not refused for its shape: fuzzing then starts from an accepted body
      expect([control.status, control.body?.code]).not.toEqual([400, 'invalid_request']);
      await fc.assert(
        fc.asyncProperty(fresh, fc.array(mutations(propertiesOf(schema)), { minLength: 1, maxLength: 3 }), async (id, chain) => {
          const call = writes[key]!(context, id);
          const body = chain.reduce<Body>((b, m) => m.apply(b), call.body ?? {});
          const answer = await probe(`${key} with ${chain.map((m) => m.describe).join(', ')}`, () => f.as[call.as].call(method, f.url(app, call.path), body));
          // a body that breaks the schema is never accepted, nor an id that could name a stream outside the id alphabet
          if (answer.status < 300 && schema && violatesTopLevel(schema, body)) throw new Error(`${key} accepted ${JSON.stringify(body).slice(0, 300)}: ${answer.status}`);
          const badIds = idsOutsideAlphabet(body);
          if (answer.status < 300 && badIds.length) throw new Error(`${key} accepted ${badIds.join(', ')} outside the id alphabet: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
        }),
        { seed: SEED, numRuns: method === 'DELETE' || !schema ? Math.ceil(RUNS / 4) : RUNS, endOnFailure: true },
      );
    }, 240_000);

    const schema = () => operations.get(key)?.requestBody?.content?.['application/json']?.schema;

    it(`${key}: raw bodies no JSON client would send`, async () => {
      if (!schema()) return; // no body to send: the path ids are fuzzed below
      const call = writes[key]!(context, `raw-${Date.now().toString(36)}`);
      const client = f.as[call.as];
      const url = f.url(app, call.path);
      const json = JSON.stringify(call.body ?? {});
      const firstString = Object.entries(call.body ?? {}).find(([, v]) => typeof v === 'string')?.[0];
      const withRaw = (raw: string) => (firstString ? json.replace(new RegExp(`"${firstString}":"[^"]*"`), `"${firstString}":${raw}`) : `{"x":${raw}}`);
      const failures: string[] = [];
      const required = (schema()!.required ?? []).length > 0;
      const form = new URLSearchParams(Object.entries(call.body ?? {}).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString() || 'a=b';
      // a NUL is refused in ids (the id alphabet); in free text (a withdrawal's reason) only the generic checks apply
      const nulInId = firstString !== undefined && /Id$/.test(firstString);
      const cases: [string, string | Uint8Array, Record<string, string>, readonly number[] | undefined][] = [
        ['an oversized JSON body', JSON.stringify({ ...call.body, padding: 'x'.repeat(BODY_LIMIT_BYTES + 10_000) }), { 'content-type': 'application/json' }, [413]],
        ['an oversized form body', `a=${'x'.repeat(BODY_LIMIT_BYTES + 10_000)}`, { 'content-type': 'application/x-www-form-urlencoded' }, [413, 415]],
        ['a form-encoded body', form, { 'content-type': 'application/x-www-form-urlencoded' }, [415]],
        ['JSON sent as text/plain', json, { 'content-type': 'text/plain' }, [415]],
        ['JSON as multipart', json, { 'content-type': 'multipart/form-data; boundary=x' }, [415]],
        ['JSON without a content type', json, {}, [400, 415]],
        ['JSON declared as UTF-16', json, { 'content-type': 'application/json; charset=utf-16' }, [400, 415]],
        ['invalid JSON', json.slice(0, -1), { 'content-type': 'application/json' }, [400]],
        ['an empty JSON body', '', { 'content-type': 'application/json' }, required ? [400] : undefined],
        ['a JSON string as the body', '"hello"', { 'content-type': 'application/json' }, [400]],
        ['invalid UTF-8 inside a string', invalidUtf8(withRaw('"a\\u0001b"')), { 'content-type': 'application/json' }, [400]],
        ['an escaped lone high surrogate', withRaw('"\\ud800"'), { 'content-type': 'application/json' }, [400]],
        ['an escaped lone low surrogate', withRaw('"x\\udfffy"'), { 'content-type': 'application/json' }, [400]],
        [`an escaped NUL in ${firstString ?? 'a field'}`, withRaw('"a\\u0000b"'), { 'content-type': 'application/json' }, nulInId ? [400] : undefined],
        ['deeply nested arrays', `{"x":${'['.repeat(5000)}${']'.repeat(5000)}}`, { 'content-type': 'application/json' }, [400, 413]],
      ];
      for (const [what, body, headers, expected] of cases) {
        try {
          const answer = await probe(`${key} with ${what}`, () => client.send(method, url, body, headers));
          if (expected && !expected.includes(answer.status)) failures.push(`${what}: expected ${expected.join('/')}, got ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 200)}`);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
      if (failures.length) throw new Error(`${key}:\n  ${failures.join('\n  ')}`);
    }, 120_000);
  }

  it('odd ids in every path parameter are a 400, never a 5xx or a write', async () => {
    const failures: string[] = [];
    const routes = [...operations.keys()].filter((key) => /\{\w+\}/.test(key));
    for (const key of routes) {
      const [app, method, template] = codeOf(key);
      const reader = key in writes ? writes[key]!(context, 'odd').as : readers[key];
      if (!reader) {
        failures.push(`${key}: no caller for the odd-id sweep (add it to readers)`);
        continue;
      }
      const valid = key in writes ? writes[key]!(context, 'odd') : undefined;
      const client = typeof reader === 'string' ? f.as[reader] : await reader(context);
      const query = key.startsWith('roster GET /internal/') ? '?categories=identification' : '';
      const params = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      for (const param of params) {
        for (const odd of ODD_IDS) {
          const path = template.replace(/\{(\w+)\}/g, (_, name: string) => (name === param ? odd : pathValue(context, name)));
          try {
            const answer = await probe(`${method} ${path}`, () => client.call(method, f.url(app, path + query), method === 'GET' || method === 'DELETE' ? undefined : (valid?.body ?? {})));
            if (answer.status !== 400) failures.push(`${method} ${app}${path}: ${param} ${JSON.stringify(decodeURIComponentSafe(odd))} answered ${answer.status}, not 400`);
          } catch (error) {
            failures.push((error as Error).message);
          }
        }
      }
    }
    if (failures.length) throw new Error(`${failures.length} odd ids not refused with 400:\n  ${failures.join('\n  ')}`);
  }, 300_000);

  // Last: it judges every answer the tests above saw.
  it('answers only the statuses and problem codes each route declares', () => {
    expect(answers.undeclared()).toEqual([]);
    expect(answers.size).toBeGreaterThan(100);
  });
});

/** A well-formed value for a path parameter that is not under test. */
function pathValue(c: Context, name: string): string {
  const values: Record<string, string> = {
    studentId: c.f.ids.student.A1,
    schoolId: c.f.ids.school.A9,
    guardianId: c.f.ids.guardian.A1,
    consentId: c.consentId,
    disclosureId: c.released.disclosureId,
    eventId: c.released.disclosureId,
    assignmentId: 'asg-unknown',
  };
  return values[name] ?? 'x';
}

/** The JSON text with its first `\\u0001` escape replaced by bytes that are no UTF-8 (0xFF 0xFE, and a surrogate's encoding). */
function invalidUtf8(text: string): Uint8Array {
  const [before, after] = text.split('\\u0001') as [string, string];
  return Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from(after)]);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Ids that name streams, URLs or relations (`audit-<studentId>`, `student-<studentId>`, `consent-<consentId>`, …). Not a
 * requester's own `requestId` or `caseId`: they name no stream, and a case system may number cases as it likes.
 */
const STREAM_IDS = new Set(['studentId', 'schoolId', 'guardianId', 'assignmentId', 'professionalId', 'welfareAreaId', 'recordId', 'consentId', 'disclosureId']);

/** Stream-naming ids (at the top level or one level down) whose value is a string outside the id alphabet, as `field=JSON`. */
function idsOutsideAlphabet(body: Body): string[] {
  const found: string[] = [];
  const visit = (value: unknown, depth: number) => {
    if (!value || typeof value !== 'object' || Array.isArray(value) || depth > 1) return;
    for (const [key, inner] of Object.entries(value)) {
      if (STREAM_IDS.has(key) && typeof inner === 'string' && (inner.length > MAX_ID_LENGTH || !ID_PATTERN.test(inner))) found.push(`${key}=${JSON.stringify(inner).slice(0, 60)}`);
      visit(inner, depth + 1);
    }
  };
  visit(body, 0);
  return found;
}

/** Whether a body plainly breaks the schema at its top level: not an object, a required property missing, or a property not allowed. */
function violatesTopLevel(schema: JsonSchema, body: Body): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return true;
  const branches = schema.oneOf ?? schema.anyOf ?? [schema];
  return branches.every((branch) => {
    const keys = Object.keys(body as object);
    const allowed = Object.keys(branch.properties ?? {});
    return (branch.required ?? []).some((k) => !(k in (body as object))) || keys.some((k) => !allowed.includes(k));
  });
}
