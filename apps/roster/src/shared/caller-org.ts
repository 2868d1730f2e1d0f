import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { orgOf, type Principal } from '@silta/platform';
import { RosterError } from '../domain/errors';

interface Request {
  readonly principal?: Principal;
}

/** The id of the caller's municipality; 403 when the token names no municipality. */
export const CallerMunicipality = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  return callerOrg(context, 'municipality');
});

/** The id of the caller's welfare area; 403 when the token names no welfare area. */
export const CallerWelfareArea = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  return callerOrg(context, 'welfare-area');
});

function callerOrg(context: ExecutionContext, kind: 'municipality' | 'welfare-area'): string {
  const principal = context.switchToHttp().getRequest<Request>().principal;
  const org = principal && orgOf(principal);
  if (org?.kind !== kind) throw new RosterError('other_organisation', `this endpoint is for staff of a ${kind}; the token names none`);
  return org.id;
}
