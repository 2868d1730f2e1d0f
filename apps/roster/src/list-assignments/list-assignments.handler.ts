import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { decodeEvent, type EventStore } from '@silta/event-store';
import { EVENT_STORE } from '@silta/platform';
import { readPage } from '@silta/platform/paging';
import type { AssignmentEvent } from '../domain/assignment';
import { DirectoryAssignmentEntity, type DirectoryAssignmentRow } from '../shared/directory/directory.entities';
import { RosterDirectory } from '../shared/directory/roster-directory';
import { CLOCK, type Clock } from '../shared/clock';
import { streams } from '../shared/streams';
import { ListAssignmentsQuery, type AssignmentSummary, type AssignmentsPage } from './list-assignments.query';

/**
 * A page of the assignments the caller's welfare area made (optionally at one school), each read
 * from its own stream: the assignment and, if it came, its end. Another welfare area's assignments
 * are never in the page, whatever school is asked for.
 */
@QueryHandler(ListAssignmentsQuery)
export class ListAssignmentsHandler implements IQueryHandler<ListAssignmentsQuery> {
  constructor(
    private readonly directory: RosterDirectory,
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ welfareAreaId, query }: ListAssignmentsQuery): Promise<AssignmentsPage> {
    await this.directory.catchUp();
    const { schoolId, ...page } = query;
    const { rows, nextCursor } = await readPage<DirectoryAssignmentRow>(
      (options) => this.dataSource.manager.find(DirectoryAssignmentEntity, options),
      { welfareAreaId, ...(schoolId === undefined ? {} : { schoolId }) },
      { at: 'welfareAreaId', id: 'assignmentId' },
      page,
    );
    const today = this.clock.now().toISOString().slice(0, 10);
    const assignments = await Promise.all(rows.map((row) => this.summary(row.assignmentId, welfareAreaId, today)));
    return { assignments: assignments.filter((a): a is AssignmentSummary => a !== undefined), nextCursor };
  }

  /** The assignment from its stream (two events at most); undefined unless the stream says the welfare area made it. */
  private async summary(assignmentId: string, welfareAreaId: string, today: string): Promise<AssignmentSummary | undefined> {
    const events = (await this.store.readStream(streams.assignment(assignmentId))).map((event) => decodeEvent<AssignmentEvent>(event));
    const assigned = events.find((e) => e.type === 'ProfessionalAssigned');
    if (!assigned || assigned.welfareAreaId !== welfareAreaId) return undefined;
    const ended = events.find((e) => e.type === 'AssignmentEnded');
    // ISO days (YYYY-MM-DD) order as strings; today in UTC, as the decisions count days.
    const withinDays = assigned.validFrom <= today && (assigned.validUntil === undefined || today <= assigned.validUntil);
    return {
      assignmentId,
      professionalId: assigned.professionalId,
      role: assigned.role,
      schoolId: assigned.schoolId,
      validFrom: assigned.validFrom,
      ...(assigned.validUntil !== undefined && { validUntil: assigned.validUntil }),
      assignedAt: assigned.assignedAt,
      ended: ended !== undefined,
      ...(ended && { endedAt: ended.endedAt }),
      current: ended === undefined && withinDays,
    };
  }
}
