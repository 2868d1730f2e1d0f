import type { IncomingMessage, ServerResponse } from 'node:http';

// The parts of Express's request and response the web server uses (the repo has no @types/express;
// the other apps type what they touch the same way).

export interface WebRequest extends IncomingMessage {
  readonly method: string;
  /** The URL as the client sent it, still percent-encoded. */
  readonly originalUrl: string;
  readonly path: string;
  readonly query: Record<string, unknown>;
  readonly route?: { readonly path?: string };
}

export interface WebResponse extends ServerResponse {
  status(code: number): this;
  type(contentType: string): this;
  send(body: string | Buffer): this;
  json(body: unknown): this;
  redirect(status: number, url: string): void;
  append(name: string, value: string): this;
  sendFile(path: string): void;
}
