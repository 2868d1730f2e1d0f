import { resolve } from 'node:path';
import type { Provider } from '@nestjs/common';
import { loadPolicyFile } from '@silta/decision';
import { SERVICE_CONFIG, type ServiceConfig } from '@silta/platform';

/** The policy that ships with Silta: a documented starting point, not legal advice. */
export const DEFAULT_POLICY_PATH = resolve(__dirname, '../../policy/default.policy.yaml');

/** Injection token of the municipality's policy, loaded and validated once at boot. */
export const POLICY = Symbol('Policy');

/** A malformed policy file stops the service at boot, with the bad fields named. */
export const policyProvider: Provider = {
  provide: POLICY,
  inject: [SERVICE_CONFIG],
  useFactory: (config: ServiceConfig) => loadPolicyFile(config.POLICY_FILE ?? DEFAULT_POLICY_PATH),
};
