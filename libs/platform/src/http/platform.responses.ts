import { z } from 'zod';

/** /health's answer: the app accepts HTTP requests. */
export const HealthStatus = z.strictObject({ status: z.literal('ok'), service: z.string() }).meta({ id: 'HealthStatus' });

/** /health/ready's answer when every part that needs the broker is ready (readiness.ts). */
export const HealthReady = z
  .strictObject({
    status: z.literal('ready'),
    service: z.string(),
    checks: z.array(
      z.strictObject({
        kind: z.enum(['consumer', 'relay', 'database', 'policy']),
        name: z.string(),
        topics: z.array(z.string()),
        ready: z.boolean(),
        state: z.string(),
        since: z.iso.datetime(),
        lastError: z.string().optional(),
        /** Unresolved dead letters; a ready consumer has none. */
        openAlarms: z.array(z.record(z.string(), z.unknown())).optional(),
      }),
    ),
  })
  .meta({ id: 'HealthReady' });

/** The OpenAPI 3.1 document an app serves at /openapi.json (openApiDocument). */
export const OpenApiDocument = z
  .strictObject({
    openapi: z.literal('3.1.0'),
    info: z.strictObject({ title: z.string(), version: z.string() }),
    components: z.strictObject({ securitySchemes: z.record(z.string(), z.looseObject({})), schemas: z.record(z.string(), z.looseObject({})) }),
    paths: z.record(z.string(), z.record(z.string(), z.looseObject({}))),
  })
  .meta({ id: 'OpenApiDocument' });
export type OpenApiDocument = z.infer<typeof OpenApiDocument>;
