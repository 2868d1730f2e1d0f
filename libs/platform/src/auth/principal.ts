/** Roles of DESIGN.md §5; `service` is a Silta service calling another (internal endpoints). */
export const ROLES = [
  'school_admin',
  'sis',
  'welfare_admin',
  'curator',
  'psychologist',
  'nurse',
  'doctor',
  'guardian',
  'student',
  'auditor',
  'service',
] as const;
export type Role = (typeof ROLES)[number];

export const WELFARE_PROFESSIONS = ['curator', 'psychologist', 'nurse', 'doctor'] as const;
export type WelfareProfession = (typeof WELFARE_PROFESSIONS)[number];

/** Who is calling, from a verified token only: never from the request body. */
export interface Principal {
  /**
   * Who vouched for the caller: the `name` of the trusted issuer whose keys verified the token
   * (README: Trusted issuers), or `local` in the HS256 local mode. A person is (issuer, sub).
   */
  readonly issuer: string;
  readonly sub: string;
  readonly role: Role;
  /** `municipality:<id>` or `welfare-area:<id>`; absent for guardians and students. */
  readonly org: string | undefined;
}

export type OrganisationKind = 'municipality' | 'welfare-area';

/** Roles that belong to a person rather than to an organisation's staff: their tokens carry no `org`. */
export const CITIZEN_ROLES = ['guardian', 'student'] as const satisfies readonly Role[];

/**
 * The organisation kinds each role's `org` may name, as the apps read them: roster's school
 * endpoints (`school_admin`) and record ingest (`sis`) take the caller's municipality
 * (CallerMunicipality); assignments (`welfare_admin`) its welfare area (CallerWelfareArea); the
 * professions request disclosures and declare guardian visibility only as staff of a welfare area
 * (disclosure's decision maker, consent's declarantOf); an `auditor` audits their own
 * organisation's scope, a municipality's (controller) or a welfare area's (recipient)
 * (auditorScope, review-emergency, receipts' missing-receipts). Guardians and students carry none.
 * `service` is absent: it is Silta's own service identity, never asserted by an identity provider.
 */
export const ORGANISATION_KINDS_OF_ROLE: Readonly<Record<Exclude<Role, 'service'>, readonly OrganisationKind[]>> = {
  school_admin: ['municipality'],
  sis: ['municipality'],
  welfare_admin: ['welfare-area'],
  curator: ['welfare-area'],
  psychologist: ['welfare-area'],
  nurse: ['welfare-area'],
  doctor: ['welfare-area'],
  auditor: ['municipality', 'welfare-area'],
  guardian: [],
  student: [],
};

/** The organisation kind and id of a principal, e.g. `welfare-area` and `itu-uusimaa`. */
export function orgOf(principal: Pick<Principal, 'org'>): { kind: OrganisationKind; id: string } | undefined {
  const match = /^(municipality|welfare-area):(.+)$/.exec(principal.org ?? '');
  return match ? { kind: match[1] as OrganisationKind, id: match[2]! } : undefined;
}
