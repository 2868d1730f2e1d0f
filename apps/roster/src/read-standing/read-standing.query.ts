import { Query } from '@nestjs/cqrs';
import type { StudentStanding } from '@silta/contracts';

/** Read what disclosure's and consent's decisions need to know about a student: birth date and education. */
export class ReadStandingQuery extends Query<StudentStanding> {
  constructor(readonly studentId: string) {
    super();
  }
}
