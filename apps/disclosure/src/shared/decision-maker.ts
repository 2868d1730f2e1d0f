import { Inject, Injectable } from '@nestjs/common';
import { Refusal } from '@silta/contracts';
import { orgOf, type Principal } from '@silta/platform';
import { PROFESSIONS, decide, preconditionDenial, urgencyAllowed, type Decision, type DecisionInput, type DecisionSnapshot, type DisclosureRequest, type Profession } from '@silta/decision';
import { POLICY, policyOf, type PolicyState } from './policy.provider';
import { ViewReader } from '../view/view-reader';
import type { RequestDisclosureBody } from './disclosure-request';
import { RosterClient } from './roster-client';

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
    @Inject(POLICY) private readonly policyState: PolicyState,
    private readonly roster: RosterClient,
  ) {}

  async decide(body: RequestDisclosureBody, caller: Principal, now: string): Promise<MadeDecision> {
    const policy = policyOf(this.policyState);
    const org = orgOf(caller);
    if (!org || org.kind !== 'welfare-area' || !(PROFESSIONS as readonly string[]).includes(caller.role)) {
      throw new Refusal('forbidden', 'not_a_welfare_professional', 'only welfare-area professionals may request disclosures');
    }
    if (!urgencyAllowed(body, { role: caller.role as Profession }, policy)) {
      throw new Refusal('forbidden', 'urgent_not_allowed', `the policy lets ${(policy.urgentNecessityFor ?? []).join(', ') || 'no profession'} mark a necessity request urgent, not a ${caller.role}`);
    }
    const { municipalityId, ...viewed } = await this.view.snapshot(body.studentId, { professionalId: caller.sub, welfareAreaId: org.id, org: caller.org! });
    const { consistentWith: _token, ...request } = body;
    const requester = { professionalId: caller.sub, role: caller.role as Profession, welfareAreaId: org.id };
    // A request the preconditions deny is decided on the view alone: roster is not asked (nor can
    // its being down turn a recorded denial into a 502).
    const denied = preconditionDenial({ snapshot: viewed, requester, policy: policy, now });
    const snapshot = denied ? viewed : await this.withStanding(viewed, request);
    const input: DecisionInput = { request, requester, snapshot, policy: policy, now };
    return {
      input,
      decision: decide(input),
      requester: { sub: caller.sub, role: caller.role, org: caller.org! },
      ...(snapshot.student ? { schoolId: snapshot.student.schoolId } : {}),
      ...(municipalityId ? { municipalityId } : {}),
    };
  }

  /**
   * On bases consent and necessity, the student's standing from roster (disclosure's view does not
   * hold it): the birth date, since from the 18th birthday guardianship has ended (361/1983 3 §)
   * and only the student's own consent counts; and the form of education, since the
   * student-welfare act (1287/2013 1 §) bounds the necessity route. It goes into the recorded
   * snapshot, so replay decides the same. Read even for a student who decides for themselves, as
   * capacity is judged per field while age holds for all. Not read on the other bases: their
   * outcome depends on neither.
   */
  private async withStanding(snapshot: DecisionSnapshot, request: Pick<DisclosureRequest, 'basis' | 'studentId'>): Promise<DecisionSnapshot> {
    const student = snapshot.student;
    if ((request.basis !== 'consent' && request.basis !== 'necessity') || !student) return snapshot;
    const { birthDate, educationForm, inCompulsoryEducation } = await this.roster.standing(request.studentId);
    return { ...snapshot, student: { ...student, birthDate, educationForm, inCompulsoryEducation } };
  }
}
