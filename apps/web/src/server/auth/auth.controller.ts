import { Controller, Get, HttpCode, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import type { WebRequest as Request, WebResponse as Response } from '../http';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import type { WebConfig } from '../config';
import { csrfRefusal, sendProblem, sendSessionExpired, WebProblem } from '../problem';
import { carriesCsrfToken, currentSession, endSession, startSession } from '../session/session';
import { WEB_CONFIG } from '../tokens';
import { OidcProviders } from './oidc-providers';
import { safeReturnTo } from './return-to';
import { recallSignIn, rememberSignIn } from './sign-in-flow';
import { refuseSignIn } from './sign-in-refused';
import { uiLocalesOf } from './ui-locale';

const ROLE = /^[a-z_]{1,40}$/;

/** Sign-in with OpenID Connect (authorization code + PKCE), the session, and sign-out. */
@Controller('auth')
export class AuthController {
  private readonly logger = new Logger('auth');

  constructor(
    @Inject(WEB_CONFIG) private readonly config: WebConfig,
    private readonly providers: OidcProviders,
  ) {}

  /** The providers the sign-in page offers, and the roles each may assert. */
  @Get('providers')
  list(): { providers: Array<{ name: string; roles: readonly string[] }> } {
    return { providers: this.config.providers.map(({ name, roles }) => ({ name, roles })) };
  }

  /** Sends the browser to the provider (in the language the person chose), remembering the PKCE verifier, state and nonce in a sealed cookie. */
  @Get('login')
  async login(@Req() request: Request, @Res() response: Response): Promise<void> {
    try {
      const provider = this.providers.provider(request.query.provider);
      const configuration = await this.providers.configuration(provider);
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(configuration, {
        redirect_uri: this.config.redirectUri,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...uiLocalesOf(request.query.locale),
      });
      await rememberSignIn(response, this.config.sessionKey, { provider: provider.name, codeVerifier, state, nonce, returnTo: safeReturnTo(request.query.returnTo) });
      response.setHeader('cache-control', 'no-store');
      response.redirect(302, url.href);
    } catch (error) {
      this.refuse(request, response, error);
    }
  }

  /** The provider's answer: the code exchanged (openid-client checks state, iss, PKCE and the ID token), the session set. */
  @Get('callback')
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    try {
      const flow = await recallSignIn(request, response, this.config.sessionKey);
      if (!flow) throw new WebProblem(400, 'sign_in_expired', 'This sign-in was not started here or took too long; start again.');
      const provider = this.providers.provider(flow.provider);
      const configuration = await this.providers.configuration(provider);
      const tokens = await oidc
        .authorizationCodeGrant(configuration, new URL(request.originalUrl, this.config.publicUrl), {
          pkceCodeVerifier: flow.codeVerifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        })
        .catch((error: unknown) => {
          throw refusalOf(error, provider.name);
        });
      const claims = tokens.claims()!;
      if (typeof claims.role !== 'string' || !ROLE.test(claims.role)) throw new WebProblem(403, 'no_role', `The sign-in service "${provider.name}" did not say in which role you act.`);
      const org = typeof claims.org === 'string' && claims.org.length <= 200 ? claims.org : undefined;
      await startSession(response, this.config.sessionKey, {
        accessToken: tokens.access_token,
        subject: claims.sub,
        role: claims.role,
        ...(org && { org }),
        provider: provider.name,
        expiresAt: expiryOf(tokens, claims.exp),
      });
      this.logger.log(`signed in as ${claims.role} through ${provider.name}`);
      response.setHeader('cache-control', 'no-store');
      response.redirect(302, flow.returnTo);
    } catch (error) {
      this.refuse(request, response, error);
    }
  }

  /** Who is signed in, and the CSRF token the browser code sends back; 401 session-expired when no one. */
  @Get('session')
  async session(@Req() request: Request, @Res() response: Response): Promise<void> {
    const session = await currentSession(request, this.config.sessionKey);
    if (!session) return sendSessionExpired(response, request.path);
    const { subject, role, org, provider, expiresAt, csrfToken } = session;
    response.setHeader('cache-control', 'no-store');
    response.json({ subject, role, ...(org && { org }), provider, expiresAt: new Date(expiresAt * 1000).toISOString(), csrfToken });
  }

  /** Ends the session. With a live session only with its CSRF token, so another site cannot sign the person out. */
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() request: Request, @Res() response: Response): Promise<void> {
    const session = await currentSession(request, this.config.sessionKey);
    if (session && !carriesCsrfToken(request, session)) return sendProblem(response, csrfRefusal(), request.path);
    endSession(response);
    response.setHeader('cache-control', 'no-store');
    response.status(204).end();
  }

  private refuse(request: Request, response: Response, error: unknown): void {
    if (error instanceof WebProblem) return refuseSignIn(request, response, error);
    this.logger.error(`sign-in failed: ${(error as Error).message}`);
    refuseSignIn(request, response, { status: 502, code: 'sign_in_failed', detail: 'The sign-in could not be completed; try again.' });
  }
}

/** When the session ends: the access token's exp if it is a JWT, else expires_in, else the ID token's exp. */
function expiryOf(tokens: oidc.TokenEndpointResponse, idTokenExp: number): number {
  try {
    const { exp } = decodeJwt(tokens.access_token);
    if (typeof exp === 'number') return exp;
  } catch {
    // An opaque access token: its lifetime is in expires_in.
  }
  return typeof tokens.expires_in === 'number' ? Math.floor(Date.now() / 1000) + tokens.expires_in : idTokenExp;
}

/**
 * What went wrong in the exchange, as a 4xx the person can act on: the provider refused (a code
 * replayed or expired, a PKCE verifier that does not match), its answer did not check out (state,
 * iss, nonce, ID token), or the person cancelled. Only an unreachable provider is a 502.
 */
function refusalOf(error: unknown, provider: string): WebProblem {
  if (error instanceof oidc.AuthorizationResponseError) {
    return new WebProblem(error.error === 'access_denied' ? 401 : 400, 'sign_in_refused', `The sign-in service "${provider}" answered ${error.error}: ${error.error_description ?? 'no description'}.`);
  }
  if (error instanceof oidc.ResponseBodyError) return new WebProblem(400, 'sign_in_refused', `The sign-in service "${provider}" refused the sign-in: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}.`);
  if (error instanceof oidc.ClientError) return new WebProblem(400, 'sign_in_invalid', `The answer of the sign-in service "${provider}" did not check out: ${error.message}`);
  return new WebProblem(502, 'provider_unavailable', `The sign-in service "${provider}" does not answer; try again later.`);
}
