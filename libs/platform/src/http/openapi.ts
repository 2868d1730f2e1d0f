import { STATUS_CODES } from 'node:http';
import { Controller, Get, Injectable, RequestMethod, type Type } from '@nestjs/common';
import { GUARDS_METADATA, HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { z } from 'zod';
import { PUBLIC_KEY, ROLES_KEY, Public } from '../auth/roles.decorator';
import { OpenApiDocument } from './platform.responses';
import { BODY_SCHEMA_KEY } from './zod-body';

export const SUMMARY_KEY = 'silta:summary';
export const RESPONDS_KEY = 'silta:responds';
export const ANSWER_KEY = 'silta:answer';

/** A one-line description of an endpoint for the OpenAPI document. */
export const Summary = (text: string): MethodDecorator => (_target, _key, descriptor) => {
  Reflect.defineMetadata(SUMMARY_KEY, text, descriptor.value as object);
};

/** Problem codes an endpoint answers, by HTTP status: `{ 404: ['student_not_found'] }`. */
export type ProblemCodes = Readonly<Record<number, readonly string[]>>;

/** What appending to the event store can answer (problem.ts maps the store's errors so). */
export const APPEND_PROBLEMS: ProblemCodes = { 409: ['concurrent_modification', 'id_reused'], 503: ['event_store_unavailable'] };

/**
 * The problems an endpoint's own rules answer, for the OpenAPI document and the API snapshot
 * (test/api-surface.unit.spec.ts). Its success status is Nest's (@HttpCode, or 201 for POST and
 * 200 otherwise), and the edge's problems (bad input, tokens, roles, rate limits, storage) are added
 * from the route's kind by `edgeProblems`, so each route names only what it decides itself.
 */
export const Responds =
  (...problems: ProblemCodes[]): MethodDecorator =>
  (_target, _key, descriptor) => {
    Reflect.defineMetadata(RESPONDS_KEY, mergeProblems(problems), descriptor.value as object);
  };

/** A schema's output as a handler may hold it: every array and object readonly (an answer is never changed). */
type ReadonlyAnswer<T> = T extends readonly (infer Item)[] ? readonly ReadonlyAnswer<Item>[] : T extends object ? { readonly [K in keyof T]: ReadonlyAnswer<T[K]> } : T;

/** A method decorator that checks the handler's return type fits the answer's schema. */
type AnswerDecorator<T> = (target: object, key: string | symbol, descriptor: { value?: (...args: never[]) => ReadonlyAnswer<T> | Promise<ReadonlyAnswer<T>> }) => void;

/**
 * The body of an endpoint's success: a zod schema named with `.meta({ id: 'RegisterSchoolAnswer' })`.
 * The OpenAPI document publishes it as a named component (so a client generator makes a type of it)
 * and the e2e sweeps hold every real success answer to it (test/api-surface.ts). The handler's
 * return type must fit the schema; a handler that writes its answer itself (@Res) or also answers
 * other formats (CSV, HTML) says `'written by the handler'`, and then only the sweeps check it.
 */
export function Answers<T>(schema: z.ZodType<T>): AnswerDecorator<T>;
export function Answers(schema: z.ZodType, writer: 'written by the handler'): MethodDecorator;
export function Answers(schema: z.ZodType): AnswerDecorator<unknown> {
  return (_target, _key, descriptor) => {
    Reflect.defineMetadata(ANSWER_KEY, schema, descriptor.value as object);
  };
}

function mergeProblems(maps: readonly ProblemCodes[]): Record<number, string[]> {
  const merged: Record<number, string[]> = {};
  for (const map of maps) {
    for (const [status, codes] of Object.entries(map)) merged[Number(status)] = [...new Set([...(merged[Number(status)] ?? []), ...codes])].sort();
  }
  return merged;
}

/** What kind of route it is, as far as the platform's edge rules care. */
interface RouteKind {
  readonly method: string;
  /** Open to the user-token guard (no user token checked). */
  readonly isPublic: boolean;
  /** Guarded by its own guard (a Silta service token). */
  readonly serviceToken: boolean;
}

const WRITES = new Set(['post', 'put', 'patch', 'delete']);

/**
 * The problems the platform's edge answers on a route of this kind, before or around its handler:
 * InputBoundsGuard's and the body parsers' 400s (and Express's for a path it cannot decode), 413
 * and 415 on any request; AuthGuard's (or the service-token guard's) 401s and 403 and the issuer
 * keys' 503; the write limit's 429; a database that fails closed with 503; and the 500 that
 * reveals nothing.
 */
export function edgeProblems(kind: RouteKind): ProblemCodes {
  const problems: Record<number, string[]> = {
    400: ['bad_request', 'invalid_request', 'malformed_json'],
    413: ['payload_too_large'],
    415: ['unsupported_media_type'],
    500: ['internal_error'],
  };
  if (!kind.isPublic) {
    problems[401] = ['invalid_token', 'unauthenticated'];
    problems[403] = ['forbidden_role'];
    problems[503] = ['issuer_keys_unavailable', 'storage_unavailable'];
  } else if (kind.serviceToken) {
    problems[401] = ['invalid_token', 'unauthenticated'];
    problems[503] = ['storage_unavailable'];
  }
  if (WRITES.has(kind.method)) problems[429] = ['too_many_requests'];
  return problems;
}

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'An RFC 9457 problem; `code` is stable and the last segment of `type`.',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    instance: { type: 'string' },
  },
};

/** A schema of the document's components, by reference. */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * The OpenAPI `responses` of an endpoint that declares them (@Responds): its success with the body
 * its @Answers names, and its problems with their codes.
 */
function responsesOf(declared: ProblemCodes | undefined, success: number, answer: string | undefined, kind: RouteKind): Record<string, object> {
  const responses: Record<string, object> = {};
  if (!declared) return responses;
  responses[String(success)] = {
    description: STATUS_CODES[success] ?? 'Success',
    ...(answer && { content: { 'application/json': { schema: ref(answer) } } }),
  };
  const problems = mergeProblems([edgeProblems(kind), declared]);
  for (const [status, codes] of Object.entries(problems)) {
    responses[status] = {
      description: `${STATUS_CODES[Number(status)] ?? 'Error'}: ${codes.join(', ')}`,
      content: { 'application/problem+json': { schema: { allOf: [ref('Problem'), { properties: { code: { enum: codes } } }] } } },
    };
  }
  return responses;
}

/** One route of a set of controllers, read from Nest's metadata. */
interface Route {
  /** `GET /v1/students/{studentId}`: the method and the OpenAPI path template. */
  readonly route: string;
  /** The path in Nest's form (`/v1/students/:studentId`). */
  readonly path: string;
  readonly method: RequestMethod;
  readonly controller: Type<unknown>;
  readonly handler: object;
  readonly name: string;
}

function* routesOf(controllers: readonly Type<unknown>[]): Generator<Route> {
  const scanner = new MetadataScanner();
  for (const controller of controllers) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const prototype = controller.prototype as Record<string, object>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name]!;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const path = `/${[base, String(Reflect.getMetadata(PATH_METADATA, handler) ?? '')].map(trim).filter(Boolean).join('/')}`;
      const route = `${RequestMethod[method]} ${path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
      yield { route, path, method, controller, handler, name };
    }
  }
}

/** The success answers' schemas (@Answers) of these controllers' routes, by `GET /v1/students/{studentId}`. */
export function declaredAnswers(controllers: readonly Type<unknown>[]): Map<string, z.ZodType> {
  const answers = new Map<string, z.ZodType>();
  for (const { route, handler } of routesOf(controllers)) {
    const schema = Reflect.getMetadata(ANSWER_KEY, handler) as z.ZodType | undefined;
    if (schema) answers.set(route, schema);
  }
  return answers;
}

/**
 * The named JSON schemas of these answers, for the document's components: each answer under its
 * `.meta({ id })`, and a named schema used inside one (say, a list's item) under its own id.
 */
function answerComponents(answers: ReadonlyMap<string, z.ZodType>): { names: Map<string, string>; schemas: Record<string, object> } {
  const registry = z.registry<{ id: string }>();
  const names = new Map<string, string>();
  const owners = new Map<string, z.ZodType>();
  for (const [route, schema] of answers) {
    const id = z.globalRegistry.get(schema)?.id;
    if (!id) throw new Error(`${route}: its @Answers schema has no name; give it one with .meta({ id })`);
    const owner = owners.get(id);
    if (owner && owner !== schema) throw new Error(`${route}: another answer schema is already named ${id}`);
    if (!owner) registry.add(schema, { id });
    owners.set(id, schema);
    names.set(route, id);
  }
  const converted = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}`, io: 'output' }).schemas;
  // zod puts a named schema used inside others but not itself an answer under `__shared`; make it a component of its own.
  const { __shared: shared, ...own } = converted as Record<string, { $defs?: Record<string, object> }>;
  const schemas = Object.fromEntries(
    Object.entries({ ...own, ...(shared?.$defs ?? {}) }).map(([id, schema]) => {
      const { $schema: _dialect, $id: _id, ...rest } = schema as Record<string, unknown>;
      return [id, JSON.parse(JSON.stringify(rest).replaceAll('#/components/schemas/__shared#/$defs/', '#/components/schemas/')) as object];
    }),
  );
  return { names, schemas };
}

/**
 * The OpenAPI 3.1 document of these controllers, read from the controllers themselves: routes, the
 * roles each one admits (from @Roles), the request schema (from @ValidBody), the body of its success
 * (from @Answers) and the statuses it answers (from @Responds), so it cannot drift from the code.
 * Needs no running app.
 */
export function openApiDocument(title: string, controllers: readonly Type<unknown>[]): OpenApiDocument {
  const answers = answerComponents(declaredAnswers(controllers));
  const paths: OpenApiDocument['paths'] = {};
  for (const { route, path, method, controller, handler, name } of routesOf(controllers)) {
    const isPublic = Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, controller);
    const roles = (Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, controller) ?? []) as string[];
    const schema = Reflect.getMetadata(BODY_SCHEMA_KEY, handler) as z.ZodType | undefined;
    // Public to the user-token guard but guarded by its own (e.g. a service token): say so.
    const guarded = ((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? []).length > 0;
    const httpMethod = RequestMethod[method].toLowerCase();
    const kind: RouteKind = { method: httpMethod, isPublic: Boolean(isPublic), serviceToken: guarded };
    const declared = Reflect.getMetadata(RESPONDS_KEY, handler) as ProblemCodes | undefined;
    const operation: Record<string, unknown> = {
      summary: Reflect.getMetadata(SUMMARY_KEY, handler) ?? name,
      description: guarded
        ? 'Internal: a Silta service token is required; user tokens are refused.'
        : isPublic
          ? 'No token needed.'
          : `Roles: ${roles.join(', ') || '(none)'}; any other role gets 403.`,
      'x-roles': isPublic ? [] : roles,
      parameters: [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      responses: {
        ...responsesOf(declared, successOf(handler, method), answers.names.get(route), kind),
        default: { description: 'An RFC 9457 problem', content: { 'application/problem+json': { schema: ref('Problem') } } },
      },
    };
    if (!isPublic || guarded) operation.security = [{ bearer: [] }];
    if (schema) operation.requestBody = { required: true, content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input' }) } } };
    (paths[route.slice(route.indexOf(' ') + 1)] ??= {})[httpMethod] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title, version: 'v1' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: PROBLEM_SCHEMA, ...answers.schemas },
    },
    paths,
  };
}

/** Builds the app's OpenAPI document (openApiDocument) from the controllers Nest discovered. */
@Injectable()
export class OpenApiBuilder {
  private document: OpenApiDocument | undefined;

  constructor(private readonly discovery: DiscoveryService) {}

  build(title: string): OpenApiDocument {
    const controllers = this.discovery
      .getControllers()
      .filter((wrapper) => wrapper.instance && wrapper.metatype)
      .map((wrapper) => wrapper.metatype as Type<unknown>);
    return (this.document ??= openApiDocument(title, controllers));
  }
}

/** The status Nest answers a route's success with: its @HttpCode, or 201 for POST and 200 otherwise. */
function successOf(handler: object, method: RequestMethod): number {
  return (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (method === RequestMethod.POST ? 201 : 200);
}

function trim(segment: string): string {
  return segment.replace(/^\/+|\/+$/g, '');
}

/** Serves the app's OpenAPI document at /openapi.json. */
export function openApiController(title: string) {
  @Controller()
  class OpenApiController {
    constructor(readonly builder: OpenApiBuilder) {}

    @Public()
    @Get('openapi.json')
    @Responds()
    @Answers(OpenApiDocument)
    document(): OpenApiDocument {
      return this.builder.build(title);
    }
  }
  return OpenApiController;
}
