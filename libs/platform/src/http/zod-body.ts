import { Body, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { Refusal } from '@silta/contracts';

export const BODY_SCHEMA_KEY = 'silta:body-schema';

/**
 * Validates a value against a zod schema: a request body or query at the edge, or an event about
 * to be published. The refusal (invalid, a 400) names every offending field.
 */
export class ZodPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: z.ZodType<T>) {}

  transform(value: unknown): T {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const errors = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
    throw new Refusal('invalid', 'invalid_request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  }
}

/**
 * The request body, validated against `schema` (use strict objects: unknown fields are refused).
 * The schema is also recorded for the OpenAPI document.
 */
export function ValidBody<T>(schema: z.ZodType<T>): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey !== undefined) Reflect.defineMetadata(BODY_SCHEMA_KEY, schema, (target as Record<string | symbol, object>)[propertyKey]!);
    Body(new ZodPipe(schema))(target, propertyKey, index);
  };
}
