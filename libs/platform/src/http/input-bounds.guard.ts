import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { EntityId, isWellFormedText } from '@silta/contracts';
import { ProblemError } from './problem';

/** One offending input: where it is and what is wrong with it. */
export interface InputProblem {
  readonly field: string;
  readonly in: 'path' | 'query' | 'body';
  readonly message: string;
}

const NOT_WELL_FORMED = 'must be well-formed UTF-16 (no lone surrogates)';

/** Every string in a parsed JSON value (keys included) that is not well-formed UTF-16, by its path. */
export function illFormedStrings(value: unknown, path: string, found: string[] = []): string[] {
  if (typeof value === 'string') {
    if (!isWellFormedText(value)) found.push(path || '(body)');
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => illFormedStrings(item, path ? `${path}.${index}` : String(index), found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (!isWellFormedText(key)) found.push(`${at} (name)`);
      illFormedStrings(item, at, found);
    }
  }
  return found;
}

/** What is wrong with a request's path parameters, query and body, before anything reads them. */
export function inputProblems(request: { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown }): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const [name, value] of Object.entries(request.params ?? {})) {
    if (typeof value !== 'string') continue;
    if (/Id$/.test(name)) {
      const id = EntityId.safeParse(value);
      if (!id.success) problems.push({ field: name, in: 'path', message: id.error.issues.map((i) => i.message).join('; ') });
    } else if (!isWellFormedText(value)) {
      problems.push({ field: name, in: 'path', message: NOT_WELL_FORMED });
    }
  }
  for (const field of illFormedStrings(request.query ?? {}, '')) problems.push({ field, in: 'query', message: NOT_WELL_FORMED });
  for (const field of illFormedStrings(request.body, '')) problems.push({ field, in: 'body', message: NOT_WELL_FORMED });
  return problems;
}

/**
 * The first global guard: refuses, with 400 naming each field, a path parameter `*Id` outside the
 * id alphabet (ids name streams: no NUL, CR LF or bidi controls) and a lone UTF-16 surrogate in any
 * path parameter, query value or JSON body string (uuid v5 and RFC 8785 canonicalisation throw on
 * them). Runs before authentication, other guards and every handler, so nothing is read or written.
 */
@Injectable()
export class InputBoundsGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const problems = inputProblems(context.switchToHttp().getRequest());
    if (problems.length === 0) return true;
    const errors = problems.map((p) => ({ field: p.field, in: p.in, message: p.message }));
    throw new ProblemError(400, 'invalid_request', errors.map((e) => `${e.in} ${e.field}: ${e.message}`).join('; '), { errors });
  }
}
