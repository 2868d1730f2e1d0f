import type { Provider } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@silta/platform';
import { DEFAULT_POLICY_PATH, loadPolicyFile } from './policy-document';

/** Injection token of the municipality's policy, loaded and validated once at boot. */
export const POLICY = Symbol('Policy');

/** A malformed policy file stops the service at boot, with the bad fields named. */
export const policyProvider: Provider = {
  provide: POLICY,
  inject: [SERVICE_CONFIG],
  useFactory: (config: ServiceConfig) => loadPolicyFile(config.POLICY_FILE ?? DEFAULT_POLICY_PATH),
};
