import type { PageRoute } from '../../page-route';
import { BundlePage } from './bundle-page';
import { DecisionSearch } from './decision-search';
import { EmergencyReviewsPage } from './emergency-reviews-page';
import { LogStatePage } from './log-state-page';
import './auditor.css';

/** Auditors' console, at the municipality and at the welfare area alike: the APIs keep each to their organisation's scope. */
export const auditorRoutes: readonly PageRoute[] = [
  { path: '/auditor/emergency-reviews', roles: ['auditor'], nav: 'auditor.nav.emergency', render: () => <EmergencyReviewsPage /> },
  { path: '/auditor/disclosures', roles: ['auditor'], nav: 'auditor.nav.disclosures', render: () => <DecisionSearch key="disclosures" list="disclosures" /> },
  { path: '/auditor/supervision', roles: ['auditor'], nav: 'auditor.nav.supervision', render: () => <DecisionSearch key="supervision" list="supervision" /> },
  { path: '/auditor/log', roles: ['auditor'], nav: 'auditor.nav.log', render: () => <LogStatePage /> },
  { path: '/auditor/bundle', roles: ['auditor'], nav: 'auditor.nav.bundle', render: () => <BundlePage /> },
];
