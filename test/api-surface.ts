import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamicModule, Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { INTERNAL_TOKEN_HOLDERS, declaredAnswers, type ServiceName } from '@silta/platform';
import type { z } from 'zod';

/** One route's answers: its statuses, and for each problem status the codes it can carry. */
export interface RouteSurface {
  statuses: number[];
  problems: Record<string, string[]>;
}

/** An app's routes by "METHOD /path" (OpenAPI path templates: `{studentId}`). */
export type AppSurface = Record<string, RouteSurface>;

/** Every app's surface by app name, as test/fixtures/api-surface.json holds it. */
export type ApiSurface = Record<string, AppSurface>;

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

/**
 * Each app's controllers, loaded in this process without listening: the apps' modules are imported
 * with throwaway configuration values (only its validation reads them; nothing connects), and the
 * environment is put back afterwards.
 */
export async function appControllers(): Promise<Record<ServiceName, Type<unknown>[]>> {
  const savedEnv = { ...process.env };
  const controllers: Partial<Record<ServiceName, Type<unknown>[]>> = {};
  try {
    for (const [app, load] of Object.entries(APPS) as Array<[ServiceName, () => Promise<Type<unknown>>]>) {
      process.env = {
        ...savedEnv,
        JWT_SECRET: randomBytes(32).toString('base64url'),
        KAFKA_USERNAME: app,
        KAFKA_PASSWORD: randomBytes(16).toString('base64url'),
        INTERNAL_TOKEN_SECRET: INTERNAL_TOKEN_HOLDERS.includes(app) ? randomBytes(32).toString('base64url') : '',
        TRUSTED_ISSUERS: '',
        KAFKA_PASSWORD_FILE: '',
      };
      controllers[app] = controllersOf(await load());
    }
  } finally {
    process.env = savedEnv;
  }
  return controllers as Record<ServiceName, Type<unknown>[]>;
}

/** The checked-in snapshot (test/api-surface.unit.spec.ts keeps it equal to the declarations). */
export function snapshotSurface(): ApiSurface {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', 'api-surface.json'), 'utf8')) as ApiSurface;
}

/**
 * What differs between two surfaces, one line per difference: `roster POST /v1/students +409`
 * (a status the second answers and the first did not), `… -404 student_not_found` (a problem
 * code the second no longer answers), `… +route` / `… -route`.
 */
export function diffSurfaces(before: ApiSurface, after: ApiSurface): string[] {
  const lines: string[] = [];
  for (const app of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const was = before[app] ?? {};
    const is = after[app] ?? {};
    for (const route of [...new Set([...Object.keys(was), ...Object.keys(is)])].sort()) {
      const a = was[route];
      const b = is[route];
      if (!a || !b) {
        lines.push(`${app} ${route} ${a ? '-' : '+'}route`);
        continue;
      }
      const entries = (surface: RouteSurface) => new Set([...surface.statuses.map(String), ...Object.entries(surface.problems).flatMap(([status, codes]) => codes.map((code) => `${status} ${code}`))]);
      const [left, right] = [entries(a), entries(b)];
      for (const entry of [...right].filter((e) => !left.has(e))) lines.push(`${app} ${route} +${entry}`);
      for (const entry of [...left].filter((e) => !right.has(e))) lines.push(`${app} ${route} -${entry}`);
    }
  }
  return lines;
}

/** The route template of the app's surface that a concrete method and path were answered by. */
export function routeOf(surface: AppSurface, method: string, path: string): string | undefined {
  const pathname = path.split('?')[0]!;
  const matches = Object.keys(surface).filter((route) => {
    const [routeMethod, template] = route.split(' ') as [string, string];
    if (routeMethod !== method.toUpperCase()) return false;
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[A-Za-z]+\}/g, '[^/]+')}/?$`);
    return pattern.test(pathname);
  });
  // A literal segment beats a parameter: `/v1/disclosures/explain` before `/v1/disclosures/{id}`.
  return matches.sort((x, y) => (x.match(/\{/g)?.length ?? 0) - (y.match(/\{/g)?.length ?? 0))[0];
}

/** One answer an e2e spec saw, by the route template that gave it. */
interface SeenAnswer {
  readonly app: string;
  readonly route: string;
  readonly status: number;
  readonly code: string | undefined;
  /** For a success, where its body differs from the route's @Answers schema (zod's issues), if it does. */
  readonly untrueBody?: string;
}

/** Where a success body differs from the route's declared schema, or undefined when it fits. */
function bodyMismatch(schema: z.ZodType | undefined, body: unknown): string | undefined {
  if (!schema) return 'no @Answers schema';
  const parsed = schema.safeParse(body);
  if (parsed.success) return undefined;
  return parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}

/** The part of the e2e harness's Client the log listens to: every call goes through `send`. */
interface Sender {
  prototype: { send(method: string, url: string, ...rest: never[]): Promise<{ status: number; contentType: string; body: unknown }> };
}

/**
 * Every answer an e2e spec saw, checked against the declared surface (the snapshot) and the declared
 * success bodies (each route's @Answers zod schema): a status or a problem code a route answered but
 * does not declare, or a success body its schema does not describe, means the declarations (and so
 * the snapshot the refactor is held to, and the OpenAPI document clients are generated from) are not true.
 */
export class AnswerLog {
  private readonly seen: SeenAnswer[] = [];
  private readonly surface = snapshotSurface();

  /**
   * Records what every Client answers from now on; `apps` are the apps' base URLs by name. Call it
   * once the apps run: it loads their controllers in this process (appControllers) for the schemas.
   */
  listen(client: Sender, apps: Record<string, string>): void {
    const original = client.prototype.send;
    const log = this.seen;
    const surface = this.surface;
    const schemas = appControllers().then((byApp) => new Map(Object.entries(byApp).map(([app, controllers]) => [app, declaredAnswers(controllers)])));
    client.prototype.send = async function (this: unknown, method: string, url: string, ...rest: never[]) {
      const answer = await original.call(this, method, url, ...rest);
      const app = Object.keys(apps).find((name) => url.startsWith(`${apps[name]}/`));
      const route = app ? routeOf(surface[app] ?? {}, method, url.slice(apps[app]!.length)) : undefined;
      if (app && route) {
        const code = (answer.body as { code?: unknown } | undefined)?.code;
        // A JSON success is held to its schema (a report asked for as CSV or HTML is not JSON).
        const jsonSuccess = answer.status < 300 && answer.contentType.startsWith('application/json');
        const untrueBody = jsonSuccess ? bodyMismatch((await schemas).get(app)?.get(route), answer.body) : undefined;
        log.push({ app, route, status: answer.status, code: answer.status >= 400 && typeof code === 'string' ? code : undefined, untrueBody });
      }
      return answer;
    };
  }

  /** How many answers were recorded. */
  get size(): number {
    return this.seen.length;
  }

  /**
   * Each answer no declaration covers, once: `consent POST /v1/consents 409 some_code`, or for a
   * success body its schema does not describe `roster POST /v1/schools 201 body: schoolId: Required`.
   */
  undeclared(): string[] {
    const found = new Set<string>();
    for (const { app, route, status, code, untrueBody } of this.seen) {
      const declared = this.surface[app]![route]!;
      const covered = declared.statuses.includes(status) && (code === undefined || (declared.problems[String(status)] ?? []).includes(code));
      if (!covered) found.add(`${app} ${route} ${status}${code ? ` ${code}` : ''}`);
      if (untrueBody) found.add(`${app} ${route} ${status} body: ${untrueBody}`);
    }
    return [...found].sort();
  }
}
