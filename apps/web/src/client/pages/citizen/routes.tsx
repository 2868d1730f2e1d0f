import type { PageRoute } from '../../page-route';

/** Guardians' and students' pages. */
export const citizenRoutes: readonly PageRoute[] = [];
