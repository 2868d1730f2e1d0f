import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal, Role } from './principal';

export const ROLES_KEY = 'silta:roles';
export const PUBLIC_KEY = 'silta:public';

/** Which roles may call an endpoint; every other role gets 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** An endpoint that needs no token (health, OpenAPI). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The verified caller. */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<{ principal: Principal }>().principal;
});
