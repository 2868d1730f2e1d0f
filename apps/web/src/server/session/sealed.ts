import { EncryptJWT, errors, jwtDecrypt, type JWTPayload } from 'jose';

/**
 * Seals a payload for a cookie: a JWT encrypted (dir + A256GCM) with WEB_SESSION_KEY, so the browser
 * holds it but can neither read nor change it. `purpose` becomes the audience, so a sign-in cookie is
 * never accepted as a session or the other way round.
 */
export function seal(payload: JWTPayload, key: Uint8Array, purpose: string, expiresAt: number): Promise<string> {
  return new EncryptJWT(payload).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setAudience(purpose).setIssuedAt().setExpirationTime(expiresAt).encrypt(key);
}

/** The payload, 'expired' when its time has passed, or undefined when it is not one of ours (changed, other key, other purpose). */
export async function unseal(value: string | undefined, key: Uint8Array, purpose: string): Promise<JWTPayload | 'expired' | undefined> {
  if (!value || value.length > 8192) return undefined;
  try {
    const { payload } = await jwtDecrypt(value, key, { audience: purpose, contentEncryptionAlgorithms: ['A256GCM'], keyManagementAlgorithms: ['dir'] });
    return payload;
  } catch (error) {
    return error instanceof errors.JWTExpired ? 'expired' : undefined;
  }
}
