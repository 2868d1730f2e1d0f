import { Controller, Get, Injectable, RequestMethod } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { z } from 'zod';
import { PUBLIC_KEY, ROLES_KEY, Public } from '../auth/roles.decorator';
import { BODY_SCHEMA_KEY } from './zod-body';

export const SUMMARY_KEY = 'silta:summary';

/** A one-line description of an endpoint for the OpenAPI document. */
export const Summary = (text: string): MethodDecorator => (_target, _key, descriptor) => {
  Reflect.defineMetadata(SUMMARY_KEY, text, descriptor.value as object);
};

/**
 * Builds the OpenAPI 3.1 document from the controllers themselves: routes, the roles each one
 * admits (from @Roles), and the request schema (from @ValidBody), so it cannot drift from the code.
 */
@Injectable()
export class OpenApiBuilder {
  private document: object | undefined;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  build(title: string): object {
    if (this.document) return this.document;
    const paths: Record<string, Record<string, object>> = {};
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, wrapper.metatype) ?? '');
      const prototype = Object.getPrototypeOf(instance) as Record<string, object>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name]!;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const path = `/${[base, String(Reflect.getMetadata(PATH_METADATA, handler) ?? '')].map(trim).filter(Boolean).join('/')}`;
        const openApiPath = path.replace(/:([A-Za-z]+)/g, '{$1}');
        const isPublic = Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, wrapper.metatype);
        const roles = (Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, wrapper.metatype) ?? []) as string[];
        const schema = Reflect.getMetadata(BODY_SCHEMA_KEY, handler) as z.ZodType | undefined;
        // Public to the user-token guard but guarded by its own (e.g. a service token): say so.
        const guarded = ((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? []).length > 0;
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
            default: { description: 'An RFC 9457 problem', content: { 'application/problem+json': { schema: { type: 'object' } } } },
          },
        };
        if (!isPublic || guarded) operation.security = [{ bearer: [] }];
        if (schema) operation.requestBody = { required: true, content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input' }) } } };
        (paths[openApiPath] ??= {})[RequestMethod[method].toLowerCase()] = operation;
      }
    }
    this.document = {
      openapi: '3.1.0',
      info: { title, version: 'v1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      paths,
    };
    return this.document;
  }
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
    document(): object {
      return this.builder.build(title);
    }
  }
  return OpenApiController;
}
