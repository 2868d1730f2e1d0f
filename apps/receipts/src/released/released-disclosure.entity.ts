import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A disclosure the municipality released to one of this welfare area's professionals, as
 * disclosure published it (DisclosureDecidedV1, permit or partial): what a receipt is checked
 * against, and what the missing-receipts report lists until one is recorded.
 */
@Entity('released_disclosures')
export class ReleasedDisclosureEntity {
  @PrimaryColumn('varchar', { name: 'disclosure_id' }) disclosureId!: string;
  @Column('varchar', { name: 'student_id' }) studentId!: string;
  @Column('varchar', { name: 'requester_sub' }) requesterSub!: string;
  @Column('varchar', { name: 'requester_role' }) requesterRole!: string;
  @Index() @Column('varchar', { name: 'requester_org' }) requesterOrg!: string;
  /** The permitted categories, comma-separated in decision order. */
  @Column('varchar') released!: string;
  @Index() @Column('varchar', { name: 'decided_at' }) decidedAt!: string;
  @Column({ name: 'receipt_at', type: 'varchar', nullable: true }) receiptAt!: string | null;
}
