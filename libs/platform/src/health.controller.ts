import { Controller, Get, Inject } from '@nestjs/common';
import { Public } from './auth/roles.decorator';
import type { ServiceConfig } from './config';
import { SERVICE_CONFIG } from './tokens';

/** Liveness probe: answers as soon as the app accepts HTTP requests. */
@Controller('health')
export class HealthController {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  @Public()
  @Get()
  check(): { status: 'ok'; service: string } {
    return { status: 'ok', service: this.config.service };
  }
}
