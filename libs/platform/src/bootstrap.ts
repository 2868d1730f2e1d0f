import { Logger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, loadConfig, type ServiceName } from './config';

/** Starts a Silta app: validated config, JSON bodies only, shutdown hooks, listening on HOST:PORT. */
export async function bootstrapService(service: ServiceName, module: Type<unknown>): Promise<void> {
  const logger = new Logger(service);
  try {
    const config = loadConfig(service);
    const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: false });
    app.useBodyParser('json', { limit: '256kb' });
    app.enableShutdownHooks();
    await app.listen(config.port, config.HOST);
    logger.log(`${service} listening on http://${config.HOST}:${config.port} (OpenAPI at /openapi.json)`);
  } catch (error) {
    logger.error(error instanceof ConfigError ? error.message : (error as Error).stack ?? String(error));
    process.exit(1);
  }
}
