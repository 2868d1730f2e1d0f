import type { PageRoute } from '../../page-route';

/** Welfare professionals' pages. */
export const professionalRoutes: readonly PageRoute[] = [];
