// The bare-NestJS baseline: one POST endpoint on the same stack as the Silta apps (Nest 11 on
// express, JSON body parser, run the way the apps are run: see bare-nest-process.ts), answering a small JSON document.
// What a Silta decision costs beyond this is Silta's own work.
import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

@Controller('v1/echo')
class EchoController {
  @Post()
  @HttpCode(200)
  echo(@Body() body: { requestId?: string }): { requestId: string | undefined; outcome: string } {
    return { requestId: body.requestId, outcome: 'permit' };
  }
}

/** Answers once the app listens, as the Silta apps' /health does, so one launcher starts both. */
@Controller('health')
class HealthController {
  @Get()
  health(): { status: string } {
    return { status: 'ok' };
  }
}

@Module({ controllers: [EchoController, HealthController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(BareModule, { logger: ['error', 'warn'] });
  app.useBodyParser('json', { limit: '256kb' });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
  console.log(`ready on ${await app.getUrl()}`);
}

void main();
