import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ArgumentsHost, Catch, HttpException, Logger, NotFoundException, type ExceptionFilter } from '@nestjs/common';
import type { WebRequest as Request, WebResponse as Response } from '../http';
import { sendProblem, WebProblem } from '../problem';

/**
 * The last word on every request no route answered, and on every error. A GET for a page (one that
 * accepts HTML, outside /api and /auth) is the single-page app's own route: index.html, whose script
 * reads the address. Anything else is a problem+json; an unexpected error a 500 that reveals nothing.
 */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('web');
  private readonly indexHtml: string;

  constructor(publicDir: string) {
    this.indexHtml = join(resolve(publicDir), 'index.html');
  }

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return void response.end();
    if (error instanceof NotFoundException && this.isPage(request)) return this.sendIndex(response);
    if (error instanceof WebProblem) return sendProblem(response, error, request.path);
    if (error instanceof HttpException) {
      const status = error.getStatus();
      return sendProblem(response, { status, code: status === 404 ? 'not_found' : status === 400 ? 'bad_request' : 'http_error', detail: status === 404 ? `Nothing at ${request.method} ${request.path}.` : error.message }, request.path);
    }
    // Body streams cut short and the like arrive as http-errors objects: the client's doing.
    const clientStatus = (error as { status?: unknown; expose?: unknown }).status;
    if (typeof clientStatus === 'number' && clientStatus >= 400 && clientStatus < 500 && (error as { expose?: unknown }).expose === true) {
      return sendProblem(response, { status: clientStatus, code: 'bad_request', detail: (error as Error).message }, request.path);
    }
    this.logger.error(`${request.method} ${request.route?.path ?? '(no route)'} failed: ${(error as Error)?.stack ?? String(error)}`);
    sendProblem(response, { status: 500, code: 'internal_error', detail: 'An unexpected error occurred.' }, request.path);
  }

  private isPage(request: Request): boolean {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    if (/^\/(api|auth)(\/|$)/.test(request.path)) return false;
    return String(request.headers.accept ?? '').includes('text/html');
  }

  private sendIndex(response: Response): void {
    if (!existsSync(this.indexHtml)) {
      return sendProblem(response, { status: 503, code: 'bundle_missing', detail: 'The browser bundle is not built: npm start builds it (apps/web/build.ts).' });
    }
    response.setHeader('cache-control', 'no-cache');
    response.sendFile(this.indexHtml);
  }
}
