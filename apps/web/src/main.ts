// The web app's server (issue 18): serves the browser bundle, signs people in with OpenID Connect
// and forwards the browser's calls to the parties' APIs with the signed-in person's token. Config
// from the environment (apps/web/src/server/config.ts; README: The web app).
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { resolve } from 'node:path';
import { createAppLogger, PinoNestLogger } from '@silta/platform/logging';
import { loadWebConfig, WebConfigError } from './server/config';
import { webSecurityHeaders } from './server/security-headers';
import { WebExceptionFilter } from './server/static/spa-fallback.filter';
import { WebModule } from './server/web.module';

async function main(): Promise<void> {
  const format = process.env.LOG_FORMAT === 'json' || process.env.LOG_FORMAT === 'pretty' ? process.env.LOG_FORMAT : undefined;
  const appLogger = new PinoNestLogger(createAppLogger({ service: 'web', format }));
  Logger.overrideLogger(appLogger);
  const logger = new Logger('web');
  try {
    const config = loadWebConfig();
    // No body parser: only the forwarding edge reads bodies, as bytes, with its own limit.
    const app = await NestFactory.create<NestExpressApplication>(WebModule.forConfig(config), { logger: appLogger, bodyParser: false });
    app.disable('x-powered-by');
    app.set('trust proxy', false);
    app.use(webSecurityHeaders);
    app.useStaticAssets(resolve(config.publicDir), { index: false, redirect: false, dotfiles: 'ignore', fallthrough: true, setHeaders: (response) => response.setHeader('cache-control', 'no-cache') });
    app.useGlobalFilters(new WebExceptionFilter(config.publicDir));
    app.enableShutdownHooks();
    await app.listen(config.port, config.host);
    const offered = Object.keys(config.apis);
    logger.log(`web listening on http://${config.host}:${config.port}, public URL ${config.publicUrl}; sign-in through ${config.providers.map((p) => p.name).join(', ')}; APIs: ${offered.join(', ') || 'none'}`);
  } catch (error) {
    logger.error(error instanceof WebConfigError ? error.message : (error as Error).stack ?? String(error));
    process.exit(1);
  }
}

void main();
