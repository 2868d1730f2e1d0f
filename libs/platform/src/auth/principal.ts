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
  readonly sub: string;
  readonly role: Role;
  /** `municipality:<id>` or `welfare-area:<id>`; absent for guardians and students. */
  readonly org: string | undefined;
}

/** The organisation kind and id of a principal, e.g. `welfare-area` and `itu-uusimaa`. */
export function orgOf(principal: Principal): { kind: 'municipality' | 'welfare-area'; id: string } | undefined {
  const match = /^(municipality|welfare-area):(.+)$/.exec(principal.org ?? '');
  return match ? { kind: match[1] as 'municipality' | 'welfare-area', id: match[2]! } : undefined;
}
