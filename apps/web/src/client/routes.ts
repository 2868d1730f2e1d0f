import type { PageRoute } from './page-route';
import { adminRoutes } from './pages/admin/routes';
import { auditorRoutes } from './pages/auditor/routes';
import { citizenRoutes } from './pages/citizen/routes';
import { professionalRoutes } from './pages/professional/routes';
import type { Role } from './session';

export const ROUTES: readonly PageRoute[] = [...citizenRoutes, ...professionalRoutes, ...auditorRoutes, ...adminRoutes];

export function routesFor(role: Role): readonly PageRoute[] {
  return ROUTES.filter((route) => route.roles.includes(role));
}
