import { Inject, Injectable } from '@nestjs/common';
import { ConsumerAlarmEntity, countOpenAlarms } from '@silta/messaging';
import { SERVICE_CONFIG, consumerGroupId, type ServiceConfig } from '@silta/platform';
import { VIEW_CONSUMER_GROUP } from './view.constants';
import type { Pool } from 'pg';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { DecisionRecordEntity } from '../shared/decision-record.entity';
import type { Assignment, CapacityAssessment, CapacityField, Category, Consent, DecisionSnapshot, Profession } from '@silta/decision';
import {
  AssignmentEntity,
  CapacityEntity,
  ConsentEntity,
  GuardianLinkEntity,
  SchoolEntity,
  StudentEntity,
  type AssignmentRow,
  type CapacityRow,
  type ConsentRow,
  type GuardianLinkRow,
  type StudentRow,
} from './view.entities';

/** The view rows a decision's snapshot is built from. */
interface ViewRows {
  readonly student: (StudentRow & { municipalityId: string | null; servedBy: string | null }) | null;
  readonly assignments: readonly AssignmentRow[];
  readonly consents: readonly ConsentRow[];
  readonly links: ReadonlyArray<Pick<GuardianLinkRow, 'guardianId' | 'linkedAt'>>;
  /** The latest capacity assessment per field. */
  readonly capacity: ReadonlyArray<Pick<CapacityRow, 'field' | 'decidesForSelf' | 'assessedOn' | 'assessedById' | 'assessedByRole'>>;
  readonly emergencyWindowStartedAt: string | null;
  /** Open alarms of the view's consumer about this student, their school or no key at all. */
  readonly openAlarms: number;
}

/** The one row of the PostgreSQL snapshot statement (json columns arrive parsed). */
interface PostgresSnapshotRow {
  student: {
    school_id: string | null;
    enrolled_at: string | null;
    decides_for_self: boolean;
    welfare_access_active: boolean;
    municipality_id: string | null;
    served_by: string | null;
  } | null;
  assignments: Array<{ assignment_id: string; professional_id: string; role: string; welfare_area_id: string; school_id: string; valid_from: string; valid_until: string | null; ended: boolean }>;
  consents: Array<{
    consent_id: string;
    version: number;
    student_id: string;
    granted_by_kind: ConsentRow['grantedByKind'];
    granted_by_id: string;
    categories: string;
    welfare_area_id: string;
    roles: string | null;
    status: ConsentRow['status'];
    valid_from: string;
    valid_until: string | null;
    granted_at: string | null;
    purpose: string | null;
  }>;
  links: Array<{ guardian_id: string; linked_at: string | null }>;
  capacity: Array<{ field: CapacityRow['field']; decides_for_self: boolean; assessed_on: string; assessed_by_id: string; assessed_by_role: string }>;
  emergency_window_started_at: string | null;
  open_alarms: string;
}

/**
 * Whose snapshot is read: a professional is (organisation, subject), so the same subject under
 * another welfare area is someone else (DESIGN.md §3).
 */
export interface SnapshotRequester {
  readonly professionalId: string;
  readonly welfareAreaId: string;
  /** The token's organisation claim, `welfare-area:<welfareAreaId>`. */
  readonly org: string;
}

/**
 * Reads the snapshot a decision needs from disclosure's view: only what concerns this requester —
 * their own assignments in their own welfare area, consents addressed to their welfare area, their
 * own emergency window — so a recorded decision shows another organisation's auditor nothing of
 * another welfare area (DESIGN.md §3), and replaying it still gives the same decision.
 */
@Injectable()
export class ViewReader {
  /** The view consumer's group: its alarms are the view's. */
  private readonly consumer: string;
  /** The PostgreSQL snapshot statement, made once its table names are known. */
  private snapshotSql: string | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.consumer = consumerGroupId(config, VIEW_CONSUMER_GROUP);
  }

  async snapshot(studentId: string, requester: SnapshotRequester): Promise<DecisionSnapshot & { municipalityId?: string }> {
    const { student, assignments, consents, links, capacity, emergencyWindowStartedAt, openAlarms } =
      this.dataSource.options.type === 'postgres' ? await this.readPostgres(studentId, requester) : await this.readEach(studentId, requester);
    return {
      student:
        student && student.schoolId
          ? {
              schoolId: student.schoolId,
              decidesForSelf: student.decidesForSelf,
              welfareAccessActive: student.welfareAccessActive,
              ...(student.enrolledAt ? { enrolledAt: student.enrolledAt } : {}),
              servedBy: student.servedBy,
              municipalityId: student.municipalityId,
              // Always present, empty when nobody has assessed: the decision then goes by the
              // assessment of the requester's field, never by the school's own flag.
              capacity: capacityByField(capacity),
            }
          : undefined,
      assignments: assignments.map(
        (a): Assignment => ({
          assignmentId: a.assignmentId,
          professionalId: a.professionalId,
          role: a.role as Profession,
          welfareAreaId: a.welfareAreaId,
          schoolId: a.schoolId,
          validFrom: a.validFrom,
          ...(a.validUntil ? { validUntil: a.validUntil } : {}),
          ended: a.ended,
        }),
      ),
      consents: consents.map(
        (c): Consent => ({
          consentId: c.consentId,
          version: c.version,
          grantedBy: { kind: c.grantedByKind, id: c.grantedById },
          categories: c.categories as Category[],
          welfareAreaId: c.welfareAreaId,
          ...(c.roles ? { roles: c.roles as Profession[] } : {}),
          status: c.status,
          validFrom: c.validFrom,
          ...(c.validUntil ? { validUntil: c.validUntil } : {}),
          ...(c.grantedAt ? { grantedAt: c.grantedAt } : {}),
          ...(c.purpose ? { purpose: c.purpose } : {}),
        }),
      ),
      linkedGuardianIds: links.map((l) => l.guardianId),
      guardianLinkedAt: Object.fromEntries(links.filter((l) => l.linkedAt).map((l) => [l.guardianId, l.linkedAt!])),
      ...(emergencyWindowStartedAt ? { emergencyWindowStartedAt } : {}),
      ...(openAlarms > 0 ? { viewIncomplete: true } : {}),
      ...(student?.municipalityId ? { municipalityId: student.municipalityId } : {}),
    };
  }

  /**
   * PostgreSQL: the whole snapshot in one statement. Five reads (six with the student's school)
   * each took a pooled connection and a round trip per decision; under load they queued for the
   * pool. Each part is the same rows the per-entity reads below return, as JSON. The statement is
   * named, so each pooled connection plans it once: planning its seven subqueries took longer than
   * running them (issue 17). Only the plan is kept; the rows are read afresh for every decision.
   */
  private async readPostgres(studentId: string, requester: SnapshotRequester): Promise<ViewRows> {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const { rows } = await pool.query<PostgresSnapshotRow>({
      name: 'silta-view-snapshot',
      text: (this.snapshotSql ??= snapshotStatement(this.dataSource)),
      values: [studentId, requester.professionalId, requester.welfareAreaId, requester.org, this.consumer],
    });
    const row = rows[0]!;
    const student = row.student;
    return {
      student: student && {
        studentId,
        schoolId: student.school_id,
        enrolledAt: student.enrolled_at,
        decidesForSelf: student.decides_for_self,
        welfareAccessActive: student.welfare_access_active,
        municipalityId: student.municipality_id,
        servedBy: student.served_by,
      },
      assignments: row.assignments.map((a) => ({
        assignmentId: a.assignment_id,
        professionalId: a.professional_id,
        role: a.role,
        welfareAreaId: a.welfare_area_id,
        schoolId: a.school_id,
        validFrom: a.valid_from,
        validUntil: a.valid_until,
        ended: a.ended,
      })),
      consents: row.consents.map((c) => ({
        consentId: c.consent_id,
        version: c.version,
        studentId: c.student_id,
        grantedByKind: c.granted_by_kind,
        grantedById: c.granted_by_id,
        // simple-json columns hold JSON text, as TypeORM writes them.
        categories: JSON.parse(c.categories) as string[],
        welfareAreaId: c.welfare_area_id,
        roles: c.roles === null ? null : (JSON.parse(c.roles) as string[]),
        status: c.status,
        validFrom: c.valid_from,
        validUntil: c.valid_until,
        grantedAt: c.granted_at,
        purpose: c.purpose,
      })),
      links: row.links.map((l) => ({ guardianId: l.guardian_id, linkedAt: l.linked_at })),
      capacity: row.capacity.map((k) => ({
        field: k.field,
        decidesForSelf: k.decides_for_self,
        assessedOn: k.assessed_on,
        assessedById: k.assessed_by_id,
        assessedByRole: k.assessed_by_role,
      })),
      emergencyWindowStartedAt: row.emergency_window_started_at,
      openAlarms: Number(row.open_alarms),
    };
  }

  /** SQLite (one in-process connection, no round trips to save): one TypeORM read per entity. */
  private async readEach(studentId: string, requester: SnapshotRequester): Promise<ViewRows> {
    const manager = this.dataSource.manager;
    const [student, assignments, consents, links, capacity, lastEmergency] = await Promise.all([
      manager.findOneBy(StudentEntity, { studentId }),
      manager.findBy(AssignmentEntity, { professionalId: requester.professionalId, welfareAreaId: requester.welfareAreaId }),
      manager.findBy(ConsentEntity, { studentId, welfareAreaId: In([requester.welfareAreaId, '']) }),
      manager.findBy(GuardianLinkEntity, { studentId, active: true }),
      manager.findBy(CapacityEntity, { studentId }),
      manager.findOne(DecisionRecordEntity, {
        where: { studentId, requesterSub: requester.professionalId, requesterOrg: requester.org, emergencyWindowStartedAt: Not(IsNull()) },
        order: { decidedAt: 'DESC' },
      }),
    ]);
    const school = student?.schoolId ? await manager.findOneBy(SchoolEntity, { schoolId: student.schoolId }) : null;
    const keys = [studentId, ...(student?.schoolId ? [student.schoolId] : [])];
    const openAlarms = await countOpenAlarms(manager, this.consumer, keys);
    return {
      student: student ? { ...student, municipalityId: school?.municipalityId ?? null, servedBy: school?.servedBy ?? null } : null,
      assignments,
      consents,
      links,
      capacity,
      emergencyWindowStartedAt: lastEmergency?.emergencyWindowStartedAt ?? null,
      openAlarms,
    };
  }

  /** Whether the guardian is currently linked to the student. */
  async isLinkedGuardian(studentId: string, guardianId: string): Promise<boolean> {
    return this.dataSource.manager.existsBy(GuardianLinkEntity, { studentId, guardianId, active: true });
  }
}

/** The view's capacity rows as the snapshot holds them: one assessment per field, by id and role. */
function capacityByField(rows: ViewRows['capacity']): Partial<Record<CapacityField, CapacityAssessment>> {
  // In one order, so the same view gives the same recorded snapshot.
  const ordered = [...rows].sort((x, y) => x.field.localeCompare(y.field));
  return Object.fromEntries(
    ordered.map((row): [CapacityField, CapacityAssessment] => [
      row.field,
      { decidesForSelf: row.decidesForSelf, assessedOn: row.assessedOn, assessedBy: { professionalId: row.assessedById, role: row.assessedByRole as Profession } },
    ]),
  );
}

/**
 * The PostgreSQL snapshot statement ($1 student, $2 professional, $3 welfare area, $4 the token's
 * organisation, $5 the view's consumer group). Its text must not change while the process runs:
 * pg prepares a named statement once per connection.
 */
function snapshotStatement(dataSource: DataSource): string {
  const table = (entity: Parameters<DataSource['getMetadata']>[0]) => dataSource.getMetadata(entity).tableName;
  return `SELECT
    (SELECT row_to_json(x) FROM (
       SELECT s.school_id, s.enrolled_at, s.decides_for_self, s.welfare_access_active, sc.municipality_id, sc.served_by
       FROM ${table(StudentEntity)} s LEFT JOIN ${table(SchoolEntity)} sc ON sc.school_id = s.school_id
       WHERE s.student_id = $1) x) AS student,
    (SELECT coalesce(json_agg(a), '[]') FROM (
       SELECT assignment_id, professional_id, role, welfare_area_id, school_id, valid_from, valid_until, ended
       FROM ${table(AssignmentEntity)} WHERE professional_id = $2 AND welfare_area_id = $3) a) AS assignments,
    (SELECT coalesce(json_agg(c), '[]') FROM (
       SELECT consent_id, version, student_id, granted_by_kind, granted_by_id, categories, welfare_area_id, roles, status, valid_from, valid_until, granted_at, purpose
       FROM ${table(ConsentEntity)} WHERE student_id = $1 AND welfare_area_id IN ($3, '')) c) AS consents,
    (SELECT coalesce(json_agg(l), '[]') FROM (
       SELECT guardian_id, linked_at FROM ${table(GuardianLinkEntity)} WHERE student_id = $1 AND active) l) AS links,
    (SELECT coalesce(json_agg(k), '[]') FROM (
       SELECT field, decides_for_self, assessed_on, assessed_by_id, assessed_by_role FROM ${table(CapacityEntity)} WHERE student_id = $1) k) AS capacity,
    (SELECT emergency_window_started_at FROM ${table(DecisionRecordEntity)}
       WHERE student_id = $1 AND requester_sub = $2 AND requester_org = $4 AND emergency_window_started_at IS NOT NULL
       ORDER BY decided_at DESC LIMIT 1) AS emergency_window_started_at,
    (SELECT count(*) FROM ${table(ConsumerAlarmEntity)}
       WHERE consumer = $5 AND resolved_at IS NULL
         AND (message_key IS NULL OR message_key = $1
              OR message_key = (SELECT school_id FROM ${table(StudentEntity)} WHERE student_id = $1))) AS open_alarms`;
}
