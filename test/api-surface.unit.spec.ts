import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocument } from '@silta/platform';
import { appControllers, diffSurfaces, type ApiSurface, type AppSurface } from './api-surface';

/**
 * The public API as the four apps declare it: per app, every path and method, the statuses each
 * answers and the problem codes it can answer, read from each app's OpenAPI document (built from
 * its controllers as the platform builds it, without listening) and compared with the snapshot in
 * test/fixtures/api-surface.json. A change to the surface fails here with the difference; when the
 * change is meant, update the snapshot with `UPDATE_API_SNAPSHOT=1 npx jest test/api-surface` and
 * commit it with the change. The documents also give every answer a body schema a client generator
 * can make types of: a named one for each success, the Problem schema for each problem.
 */
const SNAPSHOT = join(__dirname, 'fixtures', 'api-surface.json');

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  properties?: Record<string, Schema & { enum?: string[] }>;
}

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
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

/** Whether a JSON schema says nothing about its value: `{}`, or an object with no properties and any extra ones allowed. */
function saysNothing(schema: Record<string, unknown> | undefined): boolean {
  if (!schema) return true;
  const { description: _description, title: _title, ...rest } = schema;
  if (Object.keys(rest).length === 0) return true;
  const open = rest.additionalProperties === undefined || rest.additionalProperties === true;
  return rest.type === 'object' && rest.properties === undefined && open && rest.propertyNames === undefined;
}

describe('the public API surface', () => {
  const documents: Record<string, ReturnType<typeof openApiDocument>> = {};
  const current: ApiSurface = {};

  beforeAll(async () => {
    for (const [app, controllers] of Object.entries(await appControllers())) {
      documents[app] = openApiDocument(`Silta ${app} API`, controllers);
      current[app] = surfaceOf(documents[app] as never);
    }
  });

  /** Every answer of every route of every app: `roster GET /health 200`, whether it is a success, and its response object. */
  function everyAnswer(): Array<[string, boolean, { content?: Record<string, { schema?: Schema }> }]> {
    return Object.entries(documents).flatMap(([app, document]) =>
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.entries(operations).flatMap(([method, operation]) =>
          Object.entries((operation as Operation).responses ?? {}).map(
            ([status, response]) => [`${app} ${method.toUpperCase()} ${path} ${status}`, Number(status) < 400, response] as const,
          ),
        ),
      ),
    ) as never;
  }

  it('gives every success answer a named body schema that says what the body holds', () => {
    const unnamed: string[] = [];
    for (const [answer, , response] of everyAnswer().filter(([, success]) => success)) {
      const app = answer.split(' ')[0]!;
      const name = response.content?.['application/json']?.schema?.$ref?.replace('#/components/schemas/', '');
      const component = name ? (documents[app]!.components.schemas[name] as Record<string, unknown> | undefined) : undefined;
      if (saysNothing(component)) unnamed.push(`${answer} ${name ?? '(no schema)'}`);
    }
    expect(unnamed).toEqual([]);
  });

  it('gives every problem answer the Problem schema', () => {
    const problems = everyAnswer().filter(([, success]) => !success);
    const without = problems.filter(([, , response]) => {
      const schema = response.content?.['application/problem+json']?.schema;
      return (schema?.$ref ?? schema?.allOf?.[0]?.$ref) !== '#/components/schemas/Problem';
    });
    expect(problems.length).toBeGreaterThan(0);
    expect(without.map(([answer]) => answer)).toEqual([]);
  });

  it('keeps statuses out of the summaries (the responses state them)', () => {
    const summaries = Object.entries(documents).flatMap(([app, document]) =>
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.entries(operations).map(([method, operation]) => `${app} ${method.toUpperCase()} ${path}: ${String(operation.summary)}`),
      ),
    );
    expect(summaries.filter((summary) => /\b[1-5]\d\d\b/.test(summary.slice(summary.indexOf(': '))))).toEqual([]);
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
