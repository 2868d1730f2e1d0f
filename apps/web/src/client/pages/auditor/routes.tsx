import type { PageRoute } from '../../page-route';

/** Auditors' pages. */
export const auditorRoutes: readonly PageRoute[] = [];
