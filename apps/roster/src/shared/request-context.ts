import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { orgOf, type Principal } from '@silta/platform';
import { RosterError } from '../domain/errors';

/** Who asked and under which correlation id: recorded in the metadata of the events a request writes. */
export interface RequestContext {
  /** The caller's `sub`. */
  readonly actor: string;
  readonly correlationId: string;
}

interface Request {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly principal?: Principal;
}

/** The request's context: the verified caller and the caller's request id (or a fresh one). */
export const Context = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<Request>();
  const given = request.headers['x-request-id'] ?? request.headers['x-correlation-id'];
  const correlationId = typeof given === 'string' && /^[\w.:-]{1,200}$/.test(given) ? given : randomUUID();
  return { actor: request.principal?.sub ?? 'unknown', correlationId };
});

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
