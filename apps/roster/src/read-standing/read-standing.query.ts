import { Query } from '@nestjs/cqrs';
import type { StudentStanding } from '@silta/contracts';

/** Read what disclosure's and consent's decisions need to know about a student: birth date and education (and, for consent's list, the name). */
export class ReadStandingQuery extends Query<StudentStanding> {
  constructor(readonly studentId: string) {
    super();
  }
}
