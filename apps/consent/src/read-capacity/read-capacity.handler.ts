import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CapacityLog } from '../consent-store/capacity-log';
import { CAPACITY_FIELDS, capacityViewingRefusal } from '../domain';
import { capacityViewerOf } from '../http/assessor';
import { RosterView } from '../roster-view/roster-view.reader';
import { ReadCapacityQuery, type CapacityAnswer } from './read-capacity.query';

/** Reads the student's capacity stream for the student themself or a professional assigned to their school. */
@QueryHandler(ReadCapacityQuery)
export class ReadCapacityHandler implements IQueryHandler<ReadCapacityQuery> {
  constructor(
    private readonly log: CapacityLog,
    private readonly rosterView: RosterView,
  ) {}

  async execute({ caller, studentId }: ReadCapacityQuery): Promise<CapacityAnswer> {
    const viewer = capacityViewerOf(caller);
    const refusal = capacityViewingRefusal(viewer, studentId, await this.rosterView.standingFor(viewer, studentId), new Date());
    if (refusal) throw refusal;
    const { assessments } = await this.log.read(studentId);
    const capacity = Object.fromEntries(
      CAPACITY_FIELDS.flatMap((field) => {
        const assessment = assessments[field];
        if (!assessment) return [];
        const { decidesForSelf, assessedOn, assessedBy, at } = assessment;
        return [[field, { decidesForSelf, assessedOn, assessedBy, assessedAt: at }]];
      }),
    );
    return { studentId, capacity };
  }
}
