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
const HAS_NUL = 'must not contain the NUL character';
/** No Silta body nests this deep; a deeper one is refused before anything walks it further. */
export const MAX_JSON_DEPTH = 32;

/** What is wrong with one string of the input, if anything: a lone surrogate or a NUL (no database stores it). */
function stringProblem(text: string): string | undefined {
  if (!isWellFormedText(text)) return NOT_WELL_FORMED;
  if (text.includes('\u0000')) return HAS_NUL;
  return undefined;
}

/**
 * Every string in a parsed JSON value (member names included) that is not well-formed UTF-16 or
 * holds a NUL, by its path, and any value nested deeper than MAX_JSON_DEPTH. Walks with an
 * explicit stack, so no input can exhaust the call stack.
 */
export function illFormedStrings(value: unknown, path: string, found: Array<{ field: string; message: string }> = []): Array<{ field: string; message: string }> {
  const stack: Array<{ value: unknown; path: string; depth: number; problem?: string }> = [{ value, path, depth: 0 }];
  while (stack.length > 0) {
    const { value: item, path: at, depth, problem } = stack.pop()!;
    if (problem) {
      found.push({ field: at, message: problem });
      continue;
    }
    if (typeof item === 'string') {
      const message = stringProblem(item);
      if (message) found.push({ field: at || '(body)', message });
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      found.push({ field: at || '(body)', message: `must not nest deeper than ${MAX_JSON_DEPTH} levels` });
      continue;
    }
    const entries = Array.isArray(item) ? item.map((v, i) => [String(i), v] as const) : Object.entries(item);
    // Pushed last to first, so problems are reported in document order.
    for (const [key, child] of entries.reverse()) {
      const childPath = at ? `${at}.${key}` : key;
      stack.push({ value: child, path: childPath, depth: depth + 1 });
      if (!Array.isArray(item)) {
        const message = stringProblem(key);
        if (message) stack.push({ value: undefined, path: `${childPath} (name)`, depth, problem: message });
      }
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
    } else {
      const message = stringProblem(value);
      if (message) problems.push({ field: name, in: 'path', message });
    }
  }
  for (const { field, message } of illFormedStrings(request.query ?? {}, '')) problems.push({ field, in: 'query', message });
  for (const { field, message } of illFormedStrings(request.body, '')) problems.push({ field, in: 'body', message });
  return problems;
}

/**
 * The first global guard: refuses, with 400 naming each field, a path parameter `*Id` outside the
 * id alphabet (ids name streams: no NUL, CR LF or bidi controls), a lone UTF-16 surrogate (uuid v5
 * and RFC 8785 canonicalisation throw on them) or a NUL (no database stores it) in any path
 * parameter, query value or JSON body string, and a body nested deeper than MAX_JSON_DEPTH. Runs before authentication, other guards and every handler, so nothing is read or written.
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
