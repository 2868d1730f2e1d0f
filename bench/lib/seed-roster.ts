// The relay benchmark's event store: roster's own private events (names and contacts included, as
// roster stores them) on one stream per student, interleaved across students as a live roster
// writes them. Every one of them has a public message, so all N are relayed.
import { createEventTable, insertRows, pgClient, seededId, type SeedRow } from './seed-events';

export const EVENTS_PER_STUDENT = 10;

/** N roster events on N/10 student streams, interleaved across students as a live roster writes them. */
export async function seedRosterEvents(url: string, events: number): Promise<void> {
  await createEventTable(url);
  const client = await pgClient(url);
  try {
    const students = events / EVENTS_PER_STUDENT;
    const rows: SeedRow[] = [];
    const flush = async () => {
      await insertRows(client, rows);
      rows.length = 0;
    };
    const day = Date.UTC(2025, 0, 1);
    for (let step = 0; step < EVENTS_PER_STUDENT; step++) {
      for (let s = 0; s < students; s++) {
        const studentId = `student-${s}`;
        const at = new Date(day + (step * students + s) * 1000).toISOString();
        const data = rosterEvent(step, s, studentId, at);
        rows.push({
          streamId: `student-${studentId}`,
          revision: step,
          eventId: seededId(3, step * students + s),
          type: data.type,
          data: JSON.stringify(data),
          metadata: JSON.stringify({ schemaVersion: 1, correlationId: seededId(4, s) }),
          recordedAt: at,
        });
        if (rows.length >= 5_000) await flush();
      }
    }
    await flush();
  } finally {
    await client.end();
  }
}

/** The step-th private event of a student's life in roster (names and contacts stay private). */
function rosterEvent(step: number, s: number, studentId: string, at: string): { type: string } & Record<string, unknown> {
  const schoolId = `school-${s % 50}`;
  const guardian = (g: number) => ({ guardianId: `guardian-${s}-${g}`, name: `Guardian ${g} of ${s}`, contact: { email: `g${g}.${s}@example.test`, phone: '+358 40 000 0000', accessRights: true } });
  switch (step) {
    case 0:
      return { type: 'StudentEnrolled', studentId, schoolId, municipalityId: 'municipality-demo', name: `Student ${s}`, birthDate: '2012-05-01', group: '7A', enrolledAt: at };
    case 1:
    case 2: {
      const { guardianId, name, contact } = guardian(step);
      return { type: 'GuardianLinked', studentId, guardianId, name, contact, linkedAt: at };
    }
    case 3:
    case 7:
      return { type: 'WelfareAccessChanged', studentId, active: true, changedAt: at };
    case 5:
      return { type: 'WelfareAccessChanged', studentId, active: false, changedAt: at };
    case 4:
    case 9:
      return { type: 'StudentCapacityRecorded', studentId, decidesForSelf: step === 9, recordedAt: at };
    case 6:
      return { type: 'GuardianUnlinked', studentId, guardianId: guardian(2).guardianId, unlinkedAt: at };
    default:
      return { type: 'StudentTransferred', studentId, fromSchoolId: schoolId, toSchoolId: `school-${(s + 1) % 50}`, transferredAt: at };
  }
}

