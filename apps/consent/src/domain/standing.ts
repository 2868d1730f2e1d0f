/** One of the calling professional's assignments, as consent's roster view holds it. */
export interface CallerAssignment {
  readonly assignmentId: string;
  readonly role: string;
  readonly welfareAreaId: string;
  readonly schoolId: string;
  /** First day, YYYY-MM-DD. */
  readonly validFrom: string;
  /** Last day, YYYY-MM-DD; open-ended when absent. */
  readonly validUntil?: string;
  readonly ended: boolean;
}

/**
 * What the roster view says about the student and the caller (a lookup passed in, never read by
 * the domain): the student's current school, the welfare area declared to serve it, and the
 * caller's assignments (by their subject). Empty for a student the view does not know.
 */
export interface StudentStanding {
  readonly schoolId: string | undefined;
  readonly schoolServedBy: string | undefined;
  readonly callerAssignments: readonly CallerAssignment[];
}

/** A welfare-area professional acting on a student's matters, as their token names them. */
export interface ActingProfessional {
  readonly role: string;
  /** The organisation claim, `welfare-area:<id>` for a welfare area's staff. */
  readonly org: string;
}

/**
 * The professional's assignment that covers the student today, if any: in their own role and
 * welfare area, to the student's current school, which that welfare area is declared to serve.
 * Every professional's declaration or assessment about a student rests on one.
 */
export function currentAssignment(actor: ActingProfessional, standing: StudentStanding, now: Date): CallerAssignment | undefined {
  const welfareAreaId = welfareAreaOf(actor.org);
  const { schoolId, schoolServedBy } = standing;
  if (welfareAreaId === undefined || schoolId === undefined || schoolServedBy !== welfareAreaId) return undefined;
  // ISO days (YYYY-MM-DD) order as strings; today in UTC, as roster and disclosure count days.
  const today = now.toISOString().slice(0, 10);
  return standing.callerAssignments.find(
    (a) =>
      !a.ended &&
      a.role === actor.role &&
      a.welfareAreaId === welfareAreaId &&
      a.schoolId === schoolId &&
      a.validFrom <= today &&
      (a.validUntil === undefined || today <= a.validUntil),
  );
}

/** The welfare area id of an organisation claim `welfare-area:<id>`, or undefined for any other. */
function welfareAreaOf(org: string): string | undefined {
  const prefix = 'welfare-area:';
  return org.startsWith(prefix) ? org.slice(prefix.length) : undefined;
}
