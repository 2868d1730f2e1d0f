import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One route's answers: its statuses, and for each problem status the codes it can carry. */
export interface RouteSurface {
  statuses: number[];
  problems: Record<string, string[]>;
}

/** An app's routes by "METHOD /path" (OpenAPI path templates: `{studentId}`). */
export type AppSurface = Record<string, RouteSurface>;

/** Every app's surface by app name, as test/fixtures/api-surface.json holds it. */
export type ApiSurface = Record<string, AppSurface>;

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
