import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication, Type } from '@nestjs/common';
import { createServiceApp, signUserToken, type Role, type SignOptions } from '@silta/platform';
import { jsonCaller } from './http';
import { quietNestLogger } from './test-log';

/** A service's app running in the test's own process, on a free local port. */
export interface InProcessApp {
  readonly app: INestApplication;
  readonly baseUrl: string;
  /** Calls the app over HTTP; a string body is sent as it is, anything else as JSON. */
  readonly call: ReturnType<typeof jsonCaller>;
}

/**
 * Boots a service's root module in this process with the HTTP edge production gives it (body
 * parser, limits) and listens on a free local port; its logs show only with a failing test. Import
 * the module after setting the environment: PlatformModule reads its configuration on import.
 */
export async function listenInProcess(module: Type<unknown>): Promise<InProcessApp> {
  const app = await createServiceApp(module, { logger: quietNestLogger() });
  await app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  return { app, baseUrl, call: jsonCaller(baseUrl) };
}

/** The identity provider of an int spec: users' tokens signed with a secret of the run's own. */
export interface TestIssuer {
  /** What makes a service trust this issuer's tokens (JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE). */
  readonly env: { JWT_SECRET: string; JWT_ISSUER: string; JWT_AUDIENCE: string };
  /** A user's token; `sign` overrides its expiry or secret to forge a bad one. */
  token(role: Role, sub: string, org?: string, sign?: Partial<Pick<SignOptions, 'expiresIn' | 'secret'>>): Promise<string>;
}

export function testIssuer(issuer = 'silta-int-test', audience = 'silta'): TestIssuer {
  const secret = randomBytes(32).toString('hex');
  return {
    env: { JWT_SECRET: secret, JWT_ISSUER: issuer, JWT_AUDIENCE: audience },
    token: (role, sub, org, sign) => signUserToken({ sub, role, ...(org ? { org } : {}) }, { secret, issuer, audience, ...sign }),
  };
}
