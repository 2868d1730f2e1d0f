import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { RosterModule } from './roster.module';

describe('roster health', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await NestFactory.create(RosterModule, { logger: false });
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('reports the service as up over HTTP', async () => {
    const response = await fetch(`${await app.getUrl()}/health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', service: 'roster' });
  });
});
