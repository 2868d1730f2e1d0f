import { Logger, type NestApplicationOptions, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, configSchema, loadConfig, type ServiceName } from './config';
import { createAppLogger, PinoNestLogger } from './logging';
import { startTracing } from './observability/tracing';

/** The largest request body any endpoint accepts; a larger one is answered 413. */
export const MAX_BODY_SIZE = '256kb';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Refuses a JSON body that is not valid UTF-8 (400) instead of letting the parser turn the bad
 * bytes into U+FFFD and a handler decide on text the client never sent.
 */
function strictUtf8(_request: unknown, _response: unknown, buffer: Buffer): void {
  try {
    utf8.decode(buffer);
  } catch {
    throw Object.assign(new Error('the request body is not valid UTF-8'), { status: 400, statusCode: 400, expose: true, type: 'encoding.invalid' });
  }
}

/**
 * Creates a Silta app's HTTP edge as every service runs it: JSON bodies only, at most
 * MAX_BODY_SIZE and valid UTF-8 (no form parser: PlatformModule answers other media types with
 * 415). Int specs create their in-process apps through it too.
 */
export async function createServiceApp(module: Type<unknown>, options: Pick<NestApplicationOptions, 'logger'> = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: false, ...options, bodyParser: false });
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: MAX_BODY_SIZE, verify: strictUtf8 });
  return app;
}

/** Starts a Silta app: validated config, the service's HTTP edge, shutdown hooks, listening on HOST:PORT. */
export async function bootstrapService(service: ServiceName, module: Type<unknown>): Promise<void> {
  const appLogger = serviceLogger(service);
  // Every `new Logger(context)` writes through the app logger, also before and without the app.
  Logger.overrideLogger(appLogger);
  const logger = new Logger(service);
  try {
    const config = loadConfig(service);
    startTracing(service); // before the app: its event store and HTTP edge are traced only when this is on
    const app = await createServiceApp(module, { logger: appLogger });
    app.enableShutdownHooks();
    await app.listen(config.port, config.HOST);
    logger.log(`${service} listening on http://${config.HOST}:${config.port} (OpenAPI at /openapi.json)`);
  } catch (error) {
    if (error instanceof ConfigError) logger.error(error.message);
    else logger.error(error);
    process.exit(1);
  }
}

/**
 * The service's logger (LOG_FORMAT, LOG_LEVEL), made before the config is loaded so that a refused
 * config is logged in the same format; a bad LOG_* value falls back to the default here and is
 * named by loadConfig.
 */
function serviceLogger(service: ServiceName, env: NodeJS.ProcessEnv = process.env): PinoNestLogger {
  const format = configSchema.shape.LOG_FORMAT.safeParse(env.LOG_FORMAT);
  const level = configSchema.shape.LOG_LEVEL.safeParse(env.LOG_LEVEL);
  return new PinoNestLogger(createAppLogger({ service, format: format.success ? format.data : undefined, level: level.success ? level.data : undefined }));
}
