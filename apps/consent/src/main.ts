import { NestFactory } from '@nestjs/core';
import { ConsentModule } from './consent.module';

const DEFAULT_PORT = 3002;

function listenAddress(env: NodeJS.ProcessEnv): { port: number; host: string } {
  const port = env.PORT ? Number(env.PORT) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got "${env.PORT}"`);
  }
  return { port, host: env.HOST || '127.0.0.1' };
}

async function bootstrap(): Promise<void> {
  const { port, host } = listenAddress(process.env);
  const app = await NestFactory.create(ConsentModule);
  // Closes the HTTP server and runs onModuleDestroy hooks (consumers, relays) on SIGTERM/SIGINT.
  app.enableShutdownHooks();
  await app.listen(port, host);
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
