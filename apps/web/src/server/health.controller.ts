import { Controller, Get } from '@nestjs/common';

/** Liveness, as the other apps answer it: the web app holds no data and depends on nothing to serve. */
@Controller('health')
export class HealthController {
  @Get()
  check(): { status: 'ok'; service: 'web' } {
    return { status: 'ok', service: 'web' };
  }

  @Get('live')
  live(): { status: 'ok'; service: 'web' } {
    return this.check();
  }
}
