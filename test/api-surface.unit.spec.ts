import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamicModule, Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { INTERNAL_TOKEN_HOLDERS, openApiDocument, type ServiceName } from '@silta/platform';
import { diffSurfaces, type ApiSurface, type AppSurface } from './api-surface';

/**
 * The public API as the four apps declare it: per app, every path and method, the statuses each
 * answers and the problem codes it can answer, read from each app's OpenAPI document (built from
 * its controllers as the platform builds it, without listening) and compared with the snapshot in
 * test/fixtures/api-surface.json. A change to the surface fails here with the difference; when the
 * change is meant, update the snapshot with `UPDATE_API_SNAPSHOT=1 npx jest test/api-surface` and
 * commit it with the change.
 */
const SNAPSHOT = join(__dirname, 'fixtures', 'api-surface.json');

/** Each app's root module (its configuration is read when it is imported). */
const APPS: Record<ServiceName, () => Promise<Type<unknown>>> = {
  roster: async () => (await import('../apps/roster/src/roster.module')).RosterModule,
  consent: async () => (await import('../apps/consent/src/consent.module')).ConsentModule,
  disclosure: async () => (await import('../apps/disclosure/src/disclosure.module')).DisclosureModule,
  receipts: async () => (await import('../apps/receipts/src/receipts.module')).ReceiptsModule,
};

type ModuleLike = Type<unknown> | DynamicModule | Promise<DynamicModule>;

/** Every controller a module and the modules it imports register, as Nest would discover them. */
function controllersOf(module: ModuleLike, seen = new Set<unknown>()): Type<unknown>[] {
  if (module instanceof Promise || seen.has(module)) return [];
  seen.add(module);
  const dynamic = 'module' in module ? module : undefined;
  const type = dynamic ? dynamic.module : (module as Type<unknown>);
  const own = [...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, type) as Type<unknown>[] | undefined) ?? []), ...(dynamic?.controllers ?? [])];
  const imports = [...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, type) as ModuleLike[] | undefined) ?? []), ...((dynamic?.imports ?? []) as ModuleLike[])];
  return [...own, ...imports.flatMap((imported) => controllersOf(imported, seen))];
}

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: { allOf?: Array<{ properties?: { code?: { enum?: string[] } } }> } }> }>;
}

/** One app's surface from its OpenAPI document; a route without declared statuses has none. */
function surfaceOf(document: { paths: Record<string, Record<string, Operation>> }): AppSurface {
  const surface: AppSurface = {};
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const statuses: number[] = [];
      const problems: Record<string, string[]> = {};
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (status === 'default') continue;
        statuses.push(Number(status));
        const codes = response.content?.['application/problem+json']?.schema?.allOf?.[1]?.properties?.code?.enum;
        if (codes) problems[status] = [...codes].sort();
      }
      surface[`${method.toUpperCase()} ${path}`] = { statuses: statuses.sort((a, b) => a - b), problems };
    }
  }
  return Object.fromEntries(Object.entries(surface).sort(([a], [b]) => a.localeCompare(b)));
}

/** The snapshot as JSON a reviewer can read in a diff: one line per route's statuses and per problem status. */
function formatSurface(surface: ApiSurface): string {
  const apps = Object.entries(surface).map(([app, routes]) => {
    const lines = Object.entries(routes).map(([route, { statuses, problems }]) => {
      const codes = Object.entries(problems).map(([status, list]) => `        ${JSON.stringify(status)}: ${JSON.stringify(list)}`);
      return `    ${JSON.stringify(route)}: {\n      "statuses": ${JSON.stringify(statuses)},\n      "problems": {\n${codes.join(',\n')}\n      }\n    }`;
    });
    return `  ${JSON.stringify(app)}: {\n${lines.join(',\n')}\n  }`;
  });
  return `{\n${apps.join(',\n')}\n}\n`;
}

describe('the public API surface', () => {
  const savedEnv = { ...process.env };
  const current: ApiSurface = {};

  beforeAll(async () => {
    for (const [app, load] of Object.entries(APPS) as Array<[ServiceName, () => Promise<Type<unknown>>]>) {
      // Throwaway values: only the configuration's validation reads them; nothing connects.
      process.env = {
        ...savedEnv,
        JWT_SECRET: randomBytes(32).toString('base64url'),
        KAFKA_USERNAME: app,
        KAFKA_PASSWORD: randomBytes(16).toString('base64url'),
        INTERNAL_TOKEN_SECRET: INTERNAL_TOKEN_HOLDERS.includes(app) ? randomBytes(32).toString('base64url') : '',
        TRUSTED_ISSUERS: '',
        KAFKA_PASSWORD_FILE: '',
      };
      const module = await load();
      current[app] = surfaceOf(openApiDocument(`Silta ${app} API`, controllersOf(module)) as never);
    }
    process.env = savedEnv;
  });

  it('declares the statuses every route answers', () => {
    const undeclared = Object.entries(current).flatMap(([app, routes]) =>
      Object.entries(routes)
        .filter(([, route]) => !route.statuses.some((status) => status < 400))
        .map(([route]) => `${app} ${route}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('matches the snapshot taken before the convergence refactor (issue 13)', () => {
    if (process.env.UPDATE_API_SNAPSHOT === '1') writeFileSync(SNAPSHOT, formatSurface(current));
    const snapshot = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as ApiSurface;
    // Each line names the app, the route and what was added (+) or removed (-) against the snapshot.
    expect(diffSurfaces(snapshot, current)).toEqual([]);
  });
});
