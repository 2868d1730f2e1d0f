import { Inject, Injectable } from '@nestjs/common';
import { RosterInternalClient, SERVICE_CONFIG, type ServiceConfig } from '@silta/platform';
import type { RosterSnapshot } from '../domain';

/**
 * Consent's reader of roster's standing of a student, with consent's service token: the birth date,
 * which the roster view does not hold, for what widens access (grant, resume) and a guardian's list
 * (custody ends at 18, 361/1983 3 §). Never for pause or withdraw, which must work with roster down.
 * A roster that cannot answer is a 502 `roster_unavailable`, and nothing is appended.
 */
@Injectable()
export class RosterStanding extends RosterInternalClient {
  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    super(config, 'consent');
  }

  /**
   * The snapshot with roster's birth date of its student; without one for a student roster does
   * not hold as enrolled (the domain then refuses on its own grounds, as before: no linked guardian,
   * no capacity).
   */
  async withBirthDate(snapshot: RosterSnapshot): Promise<RosterSnapshot> {
    return (await this.withBirthDateAndName(snapshot)).snapshot;
  }

  /**
   * As `withBirthDate`, with the student's name as roster holds it (undefined as above), for the
   * list a student and their linked guardians see of them; the caller decides whether the viewer
   * may see it.
   */
  async withBirthDateAndName(snapshot: RosterSnapshot): Promise<{ readonly snapshot: RosterSnapshot; readonly name?: string }> {
    const standing = await this.enrolledStanding(snapshot.studentId);
    if (standing === undefined) return { snapshot };
    return { snapshot: { ...snapshot, birthDate: standing.birthDate }, name: standing.name };
  }
}
