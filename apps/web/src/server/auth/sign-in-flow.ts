import type { WebRequest as Request, WebResponse as Response } from '../http';
import { readCookie, SIGN_IN_COOKIE, setCookie } from '../session/cookies';
import { seal, unseal } from '../session/sealed';

/** A sign-in in progress: what the callback needs to check the provider's answer (RFC 7636, OIDC nonce, OAuth state). */
export interface SignInFlow {
  readonly provider: string;
  readonly codeVerifier: string;
  readonly state: string;
  readonly nonce: string;
  readonly returnTo: string;
}

const PURPOSE = 'silta-web:sign-in';
/** Time to sign in at the provider; after it the callback asks to start again. */
export const SIGN_IN_TTL_SECONDS = 600;

export async function rememberSignIn(response: Response, key: Uint8Array, flow: SignInFlow): Promise<void> {
  const value = await seal({ ...flow }, key, PURPOSE, Math.floor(Date.now() / 1000) + SIGN_IN_TTL_SECONDS);
  response.append('set-cookie', setCookie(SIGN_IN_COOKIE, value, SIGN_IN_TTL_SECONDS, 'Lax'));
}

/** The sign-in this browser started, or undefined; the cookie is cleared either way (one callback per login). */
export async function recallSignIn(request: Request, response: Response, key: Uint8Array): Promise<SignInFlow | undefined> {
  response.append('set-cookie', setCookie(SIGN_IN_COOKIE, '', 0, 'Lax'));
  const payload = await unseal(readCookie(request.headers.cookie, SIGN_IN_COOKIE), key, PURPOSE);
  if (!payload || payload === 'expired') return undefined;
  const { provider, codeVerifier, state, nonce, returnTo } = payload as Partial<SignInFlow>;
  if ([provider, codeVerifier, state, nonce, returnTo].some((v) => typeof v !== 'string')) return undefined;
  return { provider: provider!, codeVerifier: codeVerifier!, state: state!, nonce: nonce!, returnTo: returnTo! };
}
