import { Logger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, loadConfig, type ServiceName } from './config';

/** The largest request body any endpoint accepts; a larger one is answered 413. */
export const MAX_BODY_SIZE = '256kb';

/**
 * Starts a Silta app: validated config, JSON bodies only (no form parser: PlatformModule answers
 * other media types with 415), shutdown hooks, listening on HOST:PORT.
 */
export async function bootstrapService(service: ServiceName, module: Type<unknown>): Promise<void> {
  const logger = new Logger(service);
  try {
    const config = loadConfig(service);
    const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: false, bodyParser: false });
    app.disable('x-powered-by');
    app.useBodyParser('json', { limit: MAX_BODY_SIZE });
    app.enableShutdownHooks();
    await app.listen(config.port, config.HOST);
    logger.log(`${service} listening on http://${config.HOST}:${config.port} (OpenAPI at /openapi.json)`);
  } catch (error) {
    logger.error(error instanceof ConfigError ? error.message : (error as Error).stack ?? String(error));
    process.exit(1);
  }
}
