import { Inject, Injectable, Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import type { OidcProvider, WebConfig } from '../config';
import { WEB_CONFIG } from '../tokens';
import { WebProblem } from '../problem';

/**
 * The web app as a relying party of each provider, through openid-client (a certified OpenID
 * Connect relying party: discovery, PKCE, state, nonce, iss and ID-token validation are its job, not
 * ours to get subtly wrong). Discovery is read on first use and kept; a failed one is retried on
 * the next sign-in.
 */
@Injectable()
export class OidcProviders {
  private readonly logger = new Logger('oidc');
  private readonly configurations = new Map<string, Promise<oidc.Configuration>>();

  constructor(@Inject(WEB_CONFIG) private readonly config: WebConfig) {}

  provider(name: unknown): OidcProvider {
    const found = this.config.providers.find((provider) => provider.name === name);
    if (!found) throw new WebProblem(400, 'unknown_provider', `provider must be one of: ${this.config.providers.map((p) => p.name).join(', ')}`);
    return found;
  }

  configuration(provider: OidcProvider): Promise<oidc.Configuration> {
    let configuration = this.configurations.get(provider.name);
    if (!configuration) {
      const issuer = new URL(provider.issuer);
      // Plain http only for loopback issuers (config.ts refuses any other): the local stand-ins.
      const execute = issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [];
      configuration = oidc.discovery(issuer, provider.clientId, undefined, oidc.None(), { execute, timeout: 10 }).catch((error: Error) => {
        this.configurations.delete(provider.name);
        this.logger.warn(`discovery of ${provider.name} at ${provider.issuer} failed: ${error.message}`);
        throw new WebProblem(502, 'provider_unavailable', `The sign-in service "${provider.name}" does not answer; try again later.`);
      });
      this.configurations.set(provider.name, configuration);
    }
    return configuration;
  }
}
