import type { ReactNode } from 'react';
import type { Params } from './router';
import type { Role } from './session';

/**
 * One page: its path pattern, the roles that may open it (the APIs check the objects; this only
 * keeps menus and pages to what a role can use), and, for pages in the menu, its label's message id.
 */
export interface PageRoute {
  readonly path: string;
  readonly roles: readonly Role[];
  readonly render: (params: Params) => ReactNode;
  readonly nav?: string;
}
