/**
 * A position token names an event a service appended, so a reader in another service can tell
 * whether its own view has applied it yet (DESIGN.md §5, consistentWith). Opaque to callers.
 */
export interface PositionToken {
  readonly service: string;
  readonly eventId: string;
}

export function encodePositionToken(token: PositionToken): string {
  return Buffer.from(JSON.stringify({ service: token.service, eventId: token.eventId }), 'utf8').toString('base64url');
}

/** Decodes a token; undefined if it is not one. */
export function decodePositionToken(text: string): PositionToken | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { service, eventId } = value as Record<string, unknown>;
    if (typeof service !== 'string' || typeof eventId !== 'string' || !service || !eventId) return undefined;
    return { service, eventId };
  } catch {
    return undefined;
  }
}
