import { Injectable } from '@nestjs/common';
import { DataSource, EntitySchema } from 'typeorm';
import type { Consent, ConsentStatus, PartyKind } from '../domain';

/** One consent as the list endpoint reads it: the folded state of its stream. */
export interface ConsentRow {
  consentId: string;
  studentId: string;
  version: number;
  /** Revision of the stream's last event folded into this row; guards against stale writes. */
  revision: number;
  /** Recorded status; `expired` is computed when reading. */
  status: ConsentStatus;
  grantedByKind: PartyKind;
  grantedById: string;
  categories: string[];
  welfareAreaId: string;
  roles: string[] | null;
  purpose: string;
  validFrom: string;
  validUntil: string | null;
  grantedAt: string;
  changedAt: string;
}

const isoDateTime = { type: String, length: 30 } as const;

/** The consents read model (ISO date-times as text: portable across PostgreSQL and SQLite). */
export const ConsentEntity = new EntitySchema<ConsentRow>({
  name: 'ConsentConsent',
  tableName: 'consent_consents',
  columns: {
    consentId: { name: 'consent_id', type: String, length: 200, primary: true },
    studentId: { name: 'student_id', type: String, length: 200 },
    version: { type: 'integer' },
    revision: { type: 'integer' },
    status: { type: String, length: 20 },
    grantedByKind: { name: 'granted_by_kind', type: String, length: 20 },
    grantedById: { name: 'granted_by_id', type: String, length: 200 },
    categories: { type: 'simple-json' },
    welfareAreaId: { name: 'welfare_area_id', type: String, length: 200 },
    roles: { type: 'simple-json', nullable: true },
    purpose: { type: 'text' },
    validFrom: { name: 'valid_from', ...isoDateTime },
    validUntil: { name: 'valid_until', ...isoDateTime, nullable: true },
    grantedAt: { name: 'granted_at', ...isoDateTime },
    changedAt: { name: 'changed_at', ...isoDateTime },
  },
  indices: [{ name: 'consent_consents_student', columns: ['studentId'] }],
});

/**
 * The consents table, written right after each successful append from the folded state of the
 * stream. That is safe because the event log is the truth and this table only a cache of it:
 * each row is the whole fold at a stream revision, so writing it again is idempotent, a write
 * from an older revision never overwrites a newer one, and a row missed by a crash between append
 * and write is rebuilt by the next write to that consent (or by replaying the streams).
 */
@Injectable()
export class ConsentsTable {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores the consent as of `revision` unless the table already holds that revision or a later one. */
  async save(consent: Consent, revision: bigint): Promise<void> {
    const row = toRow(consent, Number(revision));
    // Insert-if-absent, then update-if-newer: each statement is atomic, so two requests racing on
    // one consent cannot leave the older fold in place.
    await this.dataSource.createQueryBuilder().insert().into(ConsentEntity).values(row).orIgnore().execute();
    const { consentId, ...changes } = row;
    await this.dataSource
      .createQueryBuilder()
      .update(ConsentEntity)
      .set(changes)
      .where('consent_id = :consentId AND revision < :revision', { consentId, revision: row.revision })
      .execute();
  }

  /** A student's consents, oldest first. */
  async forStudent(studentId: string): Promise<ConsentRow[]> {
    return this.dataSource.getRepository(ConsentEntity).find({ where: { studentId }, order: { grantedAt: 'ASC', consentId: 'ASC' } });
  }
}

function toRow(consent: Consent, revision: number): ConsentRow {
  return {
    consentId: consent.consentId,
    studentId: consent.studentId,
    version: consent.version,
    revision,
    status: consent.status,
    grantedByKind: consent.grantedBy.kind,
    grantedById: consent.grantedBy.id,
    categories: [...consent.scope.categories],
    welfareAreaId: consent.scope.recipient.welfareAreaId,
    roles: consent.scope.recipient.roles ? [...consent.scope.recipient.roles] : null,
    purpose: consent.scope.purpose,
    validFrom: consent.scope.validFrom,
    validUntil: consent.scope.validUntil ?? null,
    grantedAt: consent.grantedAt,
    changedAt: consent.changedAt,
  };
}
