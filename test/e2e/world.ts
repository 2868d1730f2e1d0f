import { randomUUID } from 'node:crypto';
import type { Role } from '@silta/platform';
import { eventually } from '@silta/testing';
import { ok } from './fixtures-two-orgs';
import { Client, startSilta, testSecrets, type Answer, type RunningSilta } from './harness';

// The world most e2e specs start from, said once: one municipality's apps as processes, the
// municipality's school admin, SIS and welfare-area admin, and the roster steps (a school the
// welfare area serves, a student, a guardian, an assignment) each spec takes in its own order.

/** Ids unique to this run: `id(name)` and the municipality and welfare area they belong to. */
export function runIds(municipalityName = 'm') {
  const run = randomUUID().slice(0, 8);
  const id = (name: string) => `${name}-${run}`;
  const municipalityId = id(municipalityName);
  return { run, id, municipalityId, municipality: `municipality:${municipalityId}`, welfareArea: id('w') };
}

export type RunIds = ReturnType<typeof runIds>;

export interface World {
  readonly silta: RunningSilta;
  readonly roster: (path: string) => string;
  readonly consent: (path: string) => string;
  readonly disclosure: (path: string) => string;
  /** The municipality's school admin, its SIS and the welfare area's admin. */
  readonly admin: Client;
  readonly sis: Client;
  readonly welfareAdmin: Client;
  /** A caller signed by the identity provider; staff belong to the municipality or the welfare area by role unless `org` says. */
  user(sub: string, role: Role, org?: string): Promise<Client>;
  /** Registers a school and declares that the welfare area serves it. */
  servedSchool(schoolId: string, name: string): Promise<void>;
  enroll(student: { studentId: string; schoolId: string; name: string; birthDate: string; group: string; [field: string]: unknown }): Promise<void>;
  linkGuardian(studentId: string, guardianId: string, name: string, email?: string): Promise<void>;
  /** Assigns a professional of the welfare area to a school from 2020, as assignment `a-<role>`. */
  assign(professionalId: string, role: string, schoolId: string): Promise<void>;
  stop(): Promise<void>;
}

const PROFESSIONALS: readonly Role[] = ['curator', 'psychologist', 'nurse', 'doctor'];

/** Starts Silta for `ids`' municipality (the shipped policy as its own; disclosure waits up to 10 s for consistency). */
export async function startWorld(label: string, ids: RunIds, disclosureEnv: Record<string, string> = { CONSISTENCY_WAIT_MS: '10000' }): Promise<World> {
  const secrets = testSecrets();
  const silta = await startSilta(label, secrets, disclosureEnv, { municipality: ids.municipalityId });
  const orgOf = (role: Role) => (PROFESSIONALS.includes(role) || role === 'welfare_admin' ? `welfare-area:${ids.welfareArea}` : ['school_admin', 'sis'].includes(role) ? ids.municipality : undefined);
  const user = (sub: string, role: Role, org = orgOf(role)) => Client.as(secrets.JWT_SECRET, sub, role, org);
  const [admin, sis, welfareAdmin] = [await user(ids.id('admin'), 'school_admin'), await user(ids.id('sis'), 'sis'), await user(ids.id('wadmin'), 'welfare_admin')];
  const roster = (path: string) => `${silta.apps.roster.url}${path}`;
  return {
    silta,
    roster,
    consent: (path) => `${silta.apps.consent.url}${path}`,
    disclosure: (path) => `${silta.apps.disclosure.url}${path}`,
    admin,
    sis,
    welfareAdmin,
    user,
    async servedSchool(schoolId, name) {
      expectOk(await admin.post(roster('/v1/schools'), { schoolId, name }));
      expectOk(await admin.put(roster(`/v1/schools/${schoolId}/service`), { welfareAreaId: ids.welfareArea }));
    },
    async enroll(student) {
      expectOk(await admin.post(roster('/v1/students'), student));
    },
    async linkGuardian(studentId, guardianId, name, email = 'huoltaja@example.invalid') {
      expectOk(await admin.post(roster(`/v1/students/${studentId}/guardians`), { guardianId, name, contact: { email } }));
    },
    async assign(professionalId, role, schoolId) {
      expectOk(await welfareAdmin.post(roster('/v1/assignments'), { assignmentId: ids.id(`a-${role}`), professionalId, role, welfareAreaId: ids.welfareArea, schoolId, validFrom: '2020-01-01' }));
    },
    stop: () => silta.stop(),
  };
}

/** Throws unless the answer is 200 or 201 (or one of `status`). */
export function expectOk(answer: Answer, status = [200, 201]): Answer {
  return ok(answer, 'request', status);
}

/** Retries `attempt` while a view (consent's or disclosure's) has not yet caught up with roster. */
export async function onceAccepted(what: string, attempt: () => Promise<Answer>, accepted: (answer: Answer) => boolean = (a) => a.status === 200 || a.status === 201): Promise<Answer> {
  let answer!: Answer;
  await eventually(
    async () => accepted((answer = await attempt())),
    60_000,
    () => `${what}: ${answer?.status} ${JSON.stringify(answer?.body)}`,
  );
  return answer;
}

/** A decision's categories as `category:outcome:reason`. */
export const outcomes = (answer: Answer) => (answer.body.categories as Array<{ category: string; outcome: string; reason: string }>).map((c) => `${c.category}:${c.outcome}:${c.reason}`);
