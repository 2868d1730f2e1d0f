import type { CallerAssignment, StudentStanding } from '../domain';

// Aino's standing as the decider specs give it: she is at school-a, which the welfare area
// itu-uusimaa serves, and the caller may hold assignments there.

/** An assignment of the calling professional to Aino's school, valid through 2026. */
export const assignment = (overrides: Partial<CallerAssignment> = {}): CallerAssignment => ({
  assignmentId: 'a-1',
  role: 'curator',
  welfareAreaId: 'itu-uusimaa',
  schoolId: 'school-a',
  validFrom: '2026-01-01',
  validUntil: '2026-12-31',
  ended: false,
  ...overrides,
});

/** Aino at school-a, served by itu-uusimaa, with the caller holding these assignments. */
export const standing = (...callerAssignments: CallerAssignment[]): StudentStanding => ({
  schoolId: 'school-a',
  schoolServedBy: 'itu-uusimaa',
  callerAssignments,
});
