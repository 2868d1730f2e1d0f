import { Module, type DynamicModule } from '@nestjs/common';
import { ApiProxyController } from './api-proxy/api-proxy.controller';
import { AuthController } from './auth/auth.controller';
import { OidcProviders } from './auth/oidc-providers';
import type { WebConfig } from './config';
import { HealthController } from './health.controller';
import { WEB_CONFIG } from './tokens';

/** The web app's server: sign-in, the session, forwarding to the parties' APIs. It holds no data of its own. */
@Module({})
export class WebModule {
  static forConfig(config: WebConfig): DynamicModule {
    return {
      module: WebModule,
      controllers: [HealthController, AuthController, ApiProxyController],
      providers: [{ provide: WEB_CONFIG, useValue: config }, OidcProviders],
    };
  }
}
