import { Controller, Get } from '@nestjs/common';

/** Liveness probe: answers as soon as the app accepts HTTP requests. */
@Controller('health')
export class HealthController {
  @Get()
  check(): { status: 'ok'; service: 'roster' } {
    return { status: 'ok', service: 'roster' };
  }
}
