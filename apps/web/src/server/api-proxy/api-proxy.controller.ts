import { All, Controller, Inject, Logger, Req, Res } from '@nestjs/common';
import type { WebRequest as Request, WebResponse as Response } from '../http';
import type { WebConfig } from '../config';
import { csrfRefusal, sendProblem, sendSessionExpired, WebProblem } from '../problem';
import { carriesCsrfToken, currentSession } from '../session/session';
import { WEB_CONFIG } from '../tokens';
import { forwardedPath } from './forwarded-path';
import { readJsonBody } from './request-body';

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);
/** What of the browser's request a party sees besides the bearer token: never its cookies or its own Authorization. */
const REQUEST_HEADERS = ['accept', 'accept-language'];
/** What of the party's answer the browser sees. */
const RESPONSE_HEADERS = ['content-type', 'content-disposition', 'content-language', 'retry-after'];

/**
 * The browser's way to the parties' public APIs: /api/<party>/v1/... is forwarded to that party with
 * the session's access token as the bearer, so the token never reaches the page's script. State
 * changes need the session's CSRF token (x-csrf-token), checked before anything is forwarded.
 */
@Controller('api')
export class ApiProxyController {
  private readonly logger = new Logger('api');

  constructor(@Inject(WEB_CONFIG) private readonly config: WebConfig) {}

  @All('*path')
  async forward(@Req() request: Request, @Res() response: Response): Promise<void> {
    try {
      await this.answer(request, response);
    } catch (error) {
      if (error instanceof WebProblem) return sendProblem(response, error, request.path);
      throw error;
    }
  }

  private async answer(request: Request, response: Response): Promise<void> {
    const target = forwardedPath(request.originalUrl);
    const base = target && this.config.apis[target.party];
    if (!target || !base) throw new WebProblem(404, 'not_found', 'No such API: /api/<party>/v1/... where party is one of the parties this web app offers.');
    if (!METHODS.has(request.method)) throw new WebProblem(405, 'method_not_allowed', 'Only GET, POST, PUT and DELETE are forwarded.');
    const session = await currentSession(request, this.config.sessionKey);
    if (!session) return sendSessionExpired(response, request.path);
    if (request.method !== 'GET' && !carriesCsrfToken(request, session)) throw csrfRefusal();
    const body = request.method === 'GET' ? undefined : await readJsonBody(request);

    const headers: Record<string, string> = { authorization: `Bearer ${session.accessToken}` };
    for (const name of REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    if (body) headers['content-type'] = 'application/json';
    const upstream = await fetch(`${base}${target.pathAndQuery}`, {
      method: request.method,
      headers,
      ...(body && { body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(this.config.apiTimeoutMs),
    }).catch((error: Error) => {
      if (error.name === 'TimeoutError') throw new WebProblem(504, 'upstream_timeout', `The ${target.party} service did not answer within ${this.config.apiTimeoutMs / 1000} s.`);
      this.logger.warn(`${target.party} unreachable: ${(error.cause as Error | undefined)?.message ?? error.message}`);
      throw new WebProblem(502, 'upstream_unavailable', `The ${target.party} service cannot be reached right now; try again later.`);
    });
    const answer = Buffer.from(
      await upstream.arrayBuffer().catch((error: Error) => {
        throw new WebProblem(error.name === 'TimeoutError' ? 504 : 502, 'upstream_failed', `The ${target.party} service's answer broke off.`);
      }),
    );
    response.status(upstream.status);
    for (const name of RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value) response.setHeader(name, value);
    }
    // The answers carry personal data: no browser or proxy cache keeps them.
    response.setHeader('cache-control', 'no-store');
    response.end(answer);
  }
}
