// Roster has no route for one school or one student as the school admin sees them; these find
// one in the lists the admin may read (the API checks the municipality either way).
import { api } from '../../../api';
import { segment } from '../../../router';
import type { School, SchoolsPage, SchoolStudent, SchoolStudentsPage } from './api-shapes';
import { allPages } from './use-pages';

const PAGE = 1000;

export function allSchools(signal?: AbortSignal): Promise<School[]> {
  return allPages(async (cursor) => {
    const page = await api<SchoolsPage>('roster', 'v1/schools', { query: { cursor, limit: PAGE }, signal });
    return { items: page.schools, nextCursor: page.nextCursor };
  });
}

export function schoolStudentsPage(schoolId: string, cursor: string | undefined, signal?: AbortSignal, limit?: number) {
  return api<SchoolStudentsPage>('roster', `v1/schools/${segment(schoolId)}/students`, { query: { cursor, limit }, signal });
}

/** The student at the school now, or undefined (moved away, or never here). */
export async function findStudent(schoolId: string, studentId: string, signal?: AbortSignal): Promise<SchoolStudent | undefined> {
  const isIt = (student: SchoolStudent) => student.studentId === studentId;
  const students = await allPages(async (cursor) => {
    const page = await schoolStudentsPage(schoolId, cursor, signal, PAGE);
    return { items: page.students, nextCursor: page.nextCursor };
  }, isIt);
  return students.find(isIt);
}
