import type { PageRoute } from '../../page-route';
import { AssignPage } from './assignments/assign-page';
import { AssignmentsPage } from './assignments/assignments-page';
import { SchoolPage } from './schools/school-page';
import { SchoolsPage } from './schools/schools-page';
import { EnrollPage } from './students/enroll-page';
import { StudentPage } from './students/student-page';
import './admin.css';

/**
 * School admins' pages (their municipality's schools, students, guardians) and welfare admins'
 * (their welfare area's assignments). Roster checks every object against the caller's organisation.
 */
export const adminRoutes: readonly PageRoute[] = [
  { path: '/admin/schools', roles: ['school_admin'], nav: 'admin.nav.schools', render: () => <SchoolsPage /> },
  { path: '/admin/schools/:schoolId', roles: ['school_admin'], render: ({ schoolId }) => <SchoolPage schoolId={schoolId!} /> },
  { path: '/admin/schools/:schoolId/enroll', roles: ['school_admin'], render: ({ schoolId }) => <EnrollPage schoolId={schoolId!} /> },
  {
    path: '/admin/schools/:schoolId/students/:studentId',
    roles: ['school_admin'],
    render: ({ schoolId, studentId }) => <StudentPage schoolId={schoolId!} studentId={studentId!} />,
  },
  { path: '/admin/assignments', roles: ['welfare_admin'], nav: 'admin.nav.assignments', render: () => <AssignmentsPage /> },
  { path: '/admin/assignments/new', roles: ['welfare_admin'], render: () => <AssignPage /> },
];
