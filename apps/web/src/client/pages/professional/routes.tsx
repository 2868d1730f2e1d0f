import type { PageRoute } from '../../page-route';
import { PROFESSIONS } from '../../session';
import { MyRequestsPage } from './my-requests-page';
import { MyStudentsPage } from './my-students-page';
import { RequestDetailPage } from './request-detail-page';
import { RequestPage } from './request-page';
import './professional.css';

/** Welfare professionals' pages: curators, psychologists, nurses and doctors alike (the APIs decide per request). */
export const professionalRoutes: readonly PageRoute[] = [
  { path: '/professional/students', roles: PROFESSIONS, nav: 'professional.nav.students', render: () => <MyStudentsPage /> },
  { path: '/professional/request', roles: PROFESSIONS, nav: 'professional.nav.request', render: () => <RequestPage mode="request" /> },
  { path: '/professional/emergency', roles: PROFESSIONS, nav: 'professional.nav.emergency', render: () => <RequestPage mode="emergency" /> },
  { path: '/professional/requests', roles: PROFESSIONS, nav: 'professional.nav.requests', render: () => <MyRequestsPage /> },
  { path: '/professional/requests/:disclosureId', roles: PROFESSIONS, render: (params) => <RequestDetailPage disclosureId={params.disclosureId!} /> },
];
