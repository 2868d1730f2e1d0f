import type { PageRoute } from '../../page-route';

/** School admins' and welfare admins' pages. */
export const adminRoutes: readonly PageRoute[] = [];
