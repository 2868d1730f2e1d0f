import { Inject, Injectable } from '@nestjs/common';
import { ProblemError, orgOf, type Principal } from '@silta/platform';
import { PROFESSIONS, decide, urgencyAllowed, type Decision, type DecisionInput, type Policy, type Profession } from '../domain/decision';
import { POLICY } from '../policy/policy.provider';
import { ViewReader } from '../view/view-reader';
import type { RequestDisclosureBody } from './request-disclosure.command';

export interface MadeDecision {
  readonly input: DecisionInput;
  readonly decision: Decision;
  readonly requester: { sub: string; role: string; org: string };
  readonly schoolId?: string;
  readonly municipalityId?: string;
}

/** Builds the decision input from the caller, the request, the view and the policy, and decides. */
@Injectable()
export class DecisionMaker {
  constructor(
    private readonly view: ViewReader,
    @Inject(POLICY) private readonly policy: Policy,
  ) {}

  async decide(body: RequestDisclosureBody, caller: Principal, now: string): Promise<MadeDecision> {
    const org = orgOf(caller);
    if (!org || org.kind !== 'welfare-area' || !(PROFESSIONS as readonly string[]).includes(caller.role)) {
      throw new ProblemError(403, 'not_a_welfare_professional', 'only welfare-area professionals may request disclosures');
    }
    if (!urgencyAllowed(body, { role: caller.role as Profession }, this.policy)) {
      throw new ProblemError(403, 'urgent_not_allowed', `the policy lets ${(this.policy.urgentNecessityFor ?? []).join(', ') || 'no profession'} mark a necessity request urgent, not a ${caller.role}`);
    }
    const { municipalityId, ...snapshot } = await this.view.snapshot(body.studentId, { professionalId: caller.sub, welfareAreaId: org.id, org: caller.org! });
    const { consistentWith: _token, ...request } = body;
    const input: DecisionInput = {
      request,
      requester: { professionalId: caller.sub, role: caller.role as Profession, welfareAreaId: org.id },
      snapshot,
      policy: this.policy,
      now,
    };
    return {
      input,
      decision: decide(input),
      requester: { sub: caller.sub, role: caller.role, org: caller.org! },
      ...(snapshot.student ? { schoolId: snapshot.student.schoolId } : {}),
      ...(municipalityId ? { municipalityId } : {}),
    };
  }
}
