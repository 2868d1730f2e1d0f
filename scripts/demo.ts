// npm run demo:load: a small synthetic demo, loaded through roster's public API with tokens from
// the local identity providers npm start runs (each actor's from the issuer of its party). Every
// person and school here is fictional. Safe to run again: what already exists answers 409 and is
// reported as already loaded.
import type { UserTokenClaims } from '@silta/platform/auth/sign-token';
import { issuerSpec, requestLocalToken, type IssuerName } from './local-issuers';

const MUNICIPALITY = 'municipality:demo';
const WELFARE_AREA = 'welfare-area:demo';

/** Who does what: each step is signed for the role DESIGN.md §5 gives that call, by the issuer of the actor's party. */
const ACTORS = {
  schoolAdmin: { sub: 'admin-demo-1', role: 'school_admin', org: MUNICIPALITY, issuer: 'municipality' },
  sis: { sub: 'sis-demo', role: 'sis', org: MUNICIPALITY, issuer: 'municipality' },
  welfareAdmin: { sub: 'welfare-admin-demo-1', role: 'welfare_admin', org: WELFARE_AREA, issuer: 'welfare-area' },
} satisfies Record<string, UserTokenClaims & { issuer: IssuerName }>;

interface Step {
  readonly what: string;
  readonly as: keyof typeof ACTORS;
  /** POST unless it says otherwise. */
  readonly method?: 'PUT';
  readonly path: string;
  readonly body: object;
}

const absence = (recordId: string, date: string, hours: number, reason?: string) => ({ recordId, category: 'absences', date, hours, ...(reason && { reason }) });
const grade = (recordId: string, date: string, subject: string, value: string) => ({ recordId, category: 'grades', date, subject, grade: value });

export const DEMO_STEPS: readonly Step[] = [
  { what: 'school school-demo-1 "Esimerkkikoulu"', as: 'schoolAdmin', path: '/v1/schools', body: { schoolId: 'school-demo-1', name: 'Esimerkkikoulu' } },
  { what: 'school school-demo-2 "Mallikoulu"', as: 'schoolAdmin', path: '/v1/schools', body: { schoolId: 'school-demo-2', name: 'Mallikoulu' } },
  // The municipality declares which welfare area serves each school before any professional is assigned there.
  ...['school-demo-1', 'school-demo-2'].map((schoolId) => ({
    what: `welfare-area:demo serves ${schoolId}`,
    as: 'schoolAdmin' as const,
    method: 'PUT' as const,
    path: `/v1/schools/${schoolId}/service`,
    body: { welfareAreaId: 'demo' },
  })),
  {
    what: 'student student-demo-1 "Aino Esimerkki", 7A at school-demo-1',
    as: 'schoolAdmin',
    path: '/v1/students',
    body: { studentId: 'student-demo-1', schoolId: 'school-demo-1', name: 'Aino Esimerkki', birthDate: '2013-04-02', group: '7A' },
  },
  {
    what: 'student student-demo-2 "Eetu Esimerkki", 8B at school-demo-1',
    as: 'schoolAdmin',
    path: '/v1/students',
    body: { studentId: 'student-demo-2', schoolId: 'school-demo-1', name: 'Eetu Esimerkki', birthDate: '2012-09-17', group: '8B' },
  },
  {
    what: 'guardian guardian-demo-1 "Ilona Esimerkki" of student-demo-1',
    as: 'schoolAdmin',
    path: '/v1/students/student-demo-1/guardians',
    body: { guardianId: 'guardian-demo-1', name: 'Ilona Esimerkki', contact: { email: 'ilona.esimerkki@example.org' } },
  },
  {
    what: 'curator curator-demo-1 of welfare-area:demo, assigned to school-demo-1',
    as: 'welfareAdmin',
    path: '/v1/assignments',
    body: { assignmentId: 'assignment-demo-curator-1', professionalId: 'curator-demo-1', role: 'curator', welfareAreaId: 'demo', schoolId: 'school-demo-1', validFrom: '2024-08-01' },
  },
  {
    what: 'nurse nurse-demo-1 of welfare-area:demo, assigned to school-demo-2 (not Aino\'s school)',
    as: 'welfareAdmin',
    path: '/v1/assignments',
    body: { assignmentId: 'assignment-demo-nurse-1', professionalId: 'nurse-demo-1', role: 'nurse', welfareAreaId: 'demo', schoolId: 'school-demo-2', validFrom: '2024-08-01' },
  },
  ...[
    absence('record-demo-1-absence-1', '2025-01-13', 2, 'illness'),
    absence('record-demo-1-absence-2', '2025-02-04', 6),
    absence('record-demo-1-absence-3', '2025-03-20', 1, 'unexplained'),
    grade('record-demo-1-grade-1', '2024-12-20', 'mathematics', '8'),
    grade('record-demo-1-grade-2', '2024-12-20', 'finnish', '9'),
  ].map((body) => ({ what: `${body.category} record ${body.recordId} of student-demo-1`, as: 'sis' as const, path: '/v1/students/student-demo-1/records', body })),
  ...[absence('record-demo-2-absence-1', '2025-01-27', 3, 'illness'), grade('record-demo-2-grade-1', '2024-12-20', 'mathematics', '7')].map((body) => ({
    what: `${body.category} record ${body.recordId} of student-demo-2`,
    as: 'sis' as const,
    path: '/v1/students/student-demo-2/records',
    body,
  })),
];

export interface DemoOptions {
  readonly rosterUrl?: string;
  readonly log?: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

/** Loads the demo; rejects on the first step that fails for a reason other than "already there". */
export async function loadDemo(options: DemoOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  const log = options.log ?? console.log;
  const rosterUrl = (options.rosterUrl ?? env.ROSTER_URL ?? 'http://127.0.0.1:3001').replace(/\/$/, '');
  const tokens = Object.fromEntries(
    await Promise.all(Object.entries(ACTORS).map(async ([name, { issuer, ...claims }]) => [name, await requestLocalToken(issuerSpec(issuer)!, env, claims, 600)] as const)),
  ) as Record<keyof typeof ACTORS, string>;

  log(`loading the synthetic demo into ${rosterUrl}`);
  for (const step of DEMO_STEPS) {
    const response = await fetch(`${rosterUrl}${step.path}`, {
      method: step.method ?? 'POST',
      headers: { authorization: `Bearer ${tokens[step.as]}`, 'content-type': 'application/json' },
      body: JSON.stringify(step.body),
    });
    if (response.status === 409) {
      log(`  already loaded  ${step.what}`);
    } else if (response.ok) {
      // Records are idempotent by recordId: a resent one answers 201 and nothing new is written.
      log(`  ${step.path.endsWith('/records') ? 'ingested' : step.method === 'PUT' ? 'declared' : 'created '}        ${step.what}`);
    } else {
      const hint = response.status === 401 ? " (do the apps' trust files name the issuers on the ports this command uses?)" : '';
      throw new Error(`${step.method ?? 'POST'} ${step.path} (${step.what}) answered ${response.status}${hint}: ${await response.text()}`);
    }
  }
  for (const line of [
    'Demo loaded. Try it with tokens for the demo people:',
    '  npm run token -- --issuer welfare-area --role curator --sub curator-demo-1 --org welfare-area:demo   # assigned to school-demo-1',
    '  npm run token -- --issuer welfare-area --role nurse --sub nurse-demo-1 --org welfare-area:demo       # assigned to school-demo-2 only',
    '  npm run token -- --issuer citizen --role guardian --sub guardian-demo-1                              # guardian of student-demo-1',
    '  npm run token -- --issuer municipality --role school_admin --sub admin-demo-1 --org municipality:demo',
    'For example, the curator asks for Aino\'s identification data:',
    '  TOKEN=$(npm run -s token -- --issuer welfare-area --role curator --sub curator-demo-1 --org welfare-area:demo)',
    `  curl -s -X POST http://127.0.0.1:${env.DISCLOSURE_PORT || 3003}/v1/disclosures -H "authorization: Bearer $TOKEN" -H "content-type: application/json" \\`,
    '    -d \'{"requestId":"demo-request-1","studentId":"student-demo-1","categories":["identification"],"basis":"identification","purpose":"first meeting"}\'',
  ]) {
    log(line);
  }
}

if (require.main === module) {
  loadDemo().catch((error: Error) => {
    console.error(`demo:load failed: ${error.message}`);
    if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED' || /does not answer/.test(error.message)) console.error('Is Silta running? Start it with: npm start');
    process.exit(1);
  });
}
