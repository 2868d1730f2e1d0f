import { api } from '../../api';
import { useLoad } from '../../components/status';
import type { MyStudents } from './api-shapes';

/** The user's students (a guardian's linked students, or the student themself) with who decides. */
export function useMyStudents() {
  return useLoad((signal) => api<MyStudents>('consent', 'v1/me/students', { signal }), []);
}
