import { resolve } from 'node:path';
import { Inject, Injectable, Logger, type Provider } from '@nestjs/common';
import { Refusal } from '@silta/contracts';
import { loadPolicyFile, type Policy } from '@silta/decision';
import { ReadinessContributor, SERVICE_CONFIG, type ReadinessCheck, type ServiceConfig } from '@silta/platform';

/** The policy that ships with Silta: a documented starting point, not legal advice. */
export const DEFAULT_POLICY_PATH = resolve(__dirname, '../../policy/default.policy.yaml');

/** Injection token of the municipality's policy state, loaded and validated once at boot. */
export const POLICY = Symbol('Policy');

/** The policy as loaded at boot: the policy, or why it could not be loaded. */
export type PolicyState = { readonly policy: Policy; readonly since: Date } | { readonly failure: string; readonly since: Date };

/**
 * Loads the policy file once at boot. A malformed or missing file does not stop the service: it
 * stays up, answers every decision and explanation 503 policy_unavailable (nothing decided, nothing
 * written), and /health/ready says 503 naming the bad fields, until it is restarted with a good file.
 */
export const policyProvider: Provider = {
  provide: POLICY,
  inject: [SERVICE_CONFIG],
  useFactory: (config: ServiceConfig): PolicyState => {
    const file = config.POLICY_FILE ?? DEFAULT_POLICY_PATH;
    try {
      return { policy: loadPolicyFile(file), since: new Date() };
    } catch (error) {
      const failure = error instanceof Error ? error.message : String(error);
      new Logger('policy').error(`the policy could not be loaded; every decision is refused until a restart with a valid file: ${failure}`);
      return { failure, since: new Date() };
    }
  },
};

/** The loaded policy, or a 503 policy_unavailable refusal. */
export function policyOf(state: PolicyState): Policy {
  if ('policy' in state) return state.policy;
  throw new Refusal('unavailable', 'policy_unavailable', 'the municipality\'s disclosure policy could not be loaded; no decision can be made until it is fixed');
}

/** /health/ready's check of the policy. */
@Injectable()
export class PolicyReadiness extends ReadinessContributor {
  constructor(@Inject(POLICY) private readonly state: PolicyState) {
    super();
  }

  check(): ReadinessCheck {
    const since = this.state.since.toISOString();
    if ('policy' in this.state) return { kind: 'policy', name: 'disclosure-policy', topics: [], ready: true, state: 'loaded', since };
    return { kind: 'policy', name: 'disclosure-policy', topics: [], ready: false, state: 'failed to load', since, lastError: this.state.failure };
  }
}
