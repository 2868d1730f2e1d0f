import type { PageRoute } from '../../page-route';
import { useUser, type Role } from '../../session';
import { ConsentsPage } from './consents-page';
import { DisclosureLogPage } from './disclosure-log-page';
import { GrantConsentPage } from './grant-consent-page';
import { ReportPage } from './report-page';
import { StudentsPage } from './students-page';
import { VisibilityPage } from './visibility-page';
import './citizen.css';

const CITIZENS: readonly Role[] = ['guardian', 'student'];

/** A student's own pages start from their own id: the student is the subject of their token. */
function OwnPage() {
  return <ConsentsPage studentId={useUser().subject} />;
}

/** Guardians' and students' pages. */
export const citizenRoutes: readonly PageRoute[] = [
  { path: '/citizen/students', roles: ['guardian'], nav: 'citizen.nav.students', render: () => <StudentsPage /> },
  { path: '/citizen/me', roles: ['student'], nav: 'citizen.nav.me', render: () => <OwnPage /> },
  { path: '/citizen/students/:studentId', roles: CITIZENS, render: (params) => <ConsentsPage studentId={params.studentId!} /> },
  { path: '/citizen/students/:studentId/consents/new', roles: CITIZENS, render: (params) => <GrantConsentPage studentId={params.studentId!} /> },
  { path: '/citizen/students/:studentId/log', roles: CITIZENS, render: (params) => <DisclosureLogPage studentId={params.studentId!} /> },
  { path: '/citizen/students/:studentId/report', roles: CITIZENS, render: (params) => <ReportPage studentId={params.studentId!} /> },
  { path: '/citizen/students/:studentId/visibility', roles: ['student'], render: (params) => <VisibilityPage studentId={params.studentId!} /> },
];
