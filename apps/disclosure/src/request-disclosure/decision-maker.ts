import { Inject, Injectable } from '@nestjs/common';
import { ProblemError, orgOf, type Principal } from '@silta/platform';
import { PROFESSIONS, decide, urgencyAllowed, type Decision, type DecisionInput, type DecisionSnapshot, type DisclosureRequest, type Policy, type Profession } from '../domain/decision';
import { POLICY } from '../policy/policy.provider';
import { ViewReader } from '../view/view-reader';
import { RosterClient } from './roster-client';
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
    private readonly roster: RosterClient,
  ) {}

  async decide(body: RequestDisclosureBody, caller: Principal, now: string): Promise<MadeDecision> {
    const org = orgOf(caller);
    if (!org || org.kind !== 'welfare-area' || !(PROFESSIONS as readonly string[]).includes(caller.role)) {
      throw new ProblemError(403, 'not_a_welfare_professional', 'only welfare-area professionals may request disclosures');
    }
    if (!urgencyAllowed(body, { role: caller.role as Profession }, this.policy)) {
      throw new ProblemError(403, 'urgent_not_allowed', `the policy lets ${(this.policy.urgentNecessityFor ?? []).join(', ') || 'no profession'} mark a necessity request urgent, not a ${caller.role}`);
    }
    const { municipalityId, ...viewed } = await this.view.snapshot(body.studentId, { professionalId: caller.sub, welfareAreaId: org.id, org: caller.org! });
    const { consistentWith: _token, ...request } = body;
    const snapshot = await this.withBirthDate(viewed, request);
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

  /**
   * On basis consent, the student's birth date from roster (its identification data; disclosure's
   * view does not hold it): from the 18th birthday guardianship has ended (361/1983 3 §) and only
   * the student's own consent counts. It goes into the recorded snapshot, so replay decides the
   * same. Not read for a student who decides for themselves anyway (the age changes nothing), nor
   * on the other bases (their outcome does not depend on age).
   */
  private async withBirthDate(snapshot: DecisionSnapshot, request: Pick<DisclosureRequest, 'basis' | 'studentId'>): Promise<DecisionSnapshot> {
    const student = snapshot.student;
    if (request.basis !== 'consent' || !student || student.decidesForSelf) return snapshot;
    const birthDate = await this.roster.birthDate(request.studentId);
    return birthDate ? { ...snapshot, student: { ...student, birthDate } } : snapshot;
  }
}
