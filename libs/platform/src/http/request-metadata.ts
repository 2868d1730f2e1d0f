import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { EventMetadataInput } from '@silta/event-store';
import type { Principal } from '../auth/principal';

interface Request {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly principal?: Principal;
}

/** The caller's request id (x-request-id, or x-correlation-id) when it is a plain id, else a fresh one. */
export function correlationIdOf(headers: Request['headers']): string {
  const given = headers['x-request-id'] ?? headers['x-correlation-id'];
  return typeof given === 'string' && /^[\w.:-]{1,200}$/.test(given) ? given : randomUUID();
}

/** What the events a request writes record of it (eventMetadata's convention): its correlation id and the caller's sub. */
export function requestMetadataOf(request: Request): EventMetadataInput {
  return { correlationId: correlationIdOf(request.headers), ...(request.principal && { actor: request.principal.sub }) };
}

/** Route parameter: the request's event metadata input (see requestMetadataOf). */
export const RequestMetadata = createParamDecorator((_: unknown, context: ExecutionContext): EventMetadataInput => {
  return requestMetadataOf(context.switchToHttp().getRequest<Request>());
});
