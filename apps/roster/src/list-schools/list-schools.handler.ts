import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { readPage } from '@silta/platform/paging';
import { DirectorySchoolEntity, type DirectorySchoolRow } from '../shared/directory/directory.entities';
import { RosterDirectory } from '../shared/directory/roster-directory';
import { RosterStore } from '../shared/roster-store';
import { ListSchoolsQuery, type SchoolSummary, type SchoolsPage } from './list-schools.query';

/** A page of the schools the caller's municipality registered, each read from its own stream. */
@QueryHandler(ListSchoolsQuery)
export class ListSchoolsHandler implements IQueryHandler<ListSchoolsQuery> {
  constructor(
    private readonly directory: RosterDirectory,
    private readonly roster: RosterStore,
    private readonly dataSource: DataSource,
  ) {}

  async execute({ municipalityId, page }: ListSchoolsQuery): Promise<SchoolsPage> {
    await this.directory.catchUp();
    const { rows, nextCursor } = await readPage<DirectorySchoolRow>(
      (options) => this.dataSource.manager.find(DirectorySchoolEntity, options),
      { municipalityId },
      { at: 'municipalityId', id: 'schoolId' },
      page,
    );
    const schools = await Promise.all(rows.map((row) => this.summary(row.schoolId, municipalityId)));
    return { schools: schools.filter((school): school is SchoolSummary => school !== undefined), nextCursor };
  }

  /** The school from its stream; undefined unless the stream says the caller's municipality owns it. */
  private async summary(schoolId: string, municipalityId: string): Promise<SchoolSummary | undefined> {
    const school = await this.roster.schoolState(schoolId);
    if (school.status !== 'registered' || school.municipalityId !== municipalityId) return undefined;
    return { schoolId, name: school.name, servedByWelfareAreaId: school.servedByWelfareAreaId ?? null };
  }
}
