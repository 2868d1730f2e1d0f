import { SignJWT } from 'jose';
import type { Role } from './principal';

export interface UserTokenClaims {
  readonly sub: string;
  readonly role: Role;
  readonly org?: string;
}

export interface SignOptions {
  readonly secret: string;
  readonly issuer: string;
  readonly audience: string;
  /** Lifetime, e.g. `8h`, or an absolute expiry in epoch seconds. */
  readonly expiresIn?: string | number;
}

/** Signs an HS256 user token: for local use (`npm run token`) and tests, never for production keys. */
export async function signUserToken(claims: UserTokenClaims, options: SignOptions): Promise<string> {
  const payload: Record<string, string> = { role: claims.role };
  if (claims.org) payload.org = claims.org;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '8h')
    .sign(new TextEncoder().encode(options.secret));
}
