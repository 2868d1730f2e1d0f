import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { MerkleFrontierJson } from '@silta/transparency';

/**
 * The audit log's Merkle tree as the checkpointer keeps it in the service's database, so it never
 * holds the log in memory nor rereads it after a restart. Everything here is derived from the
 * event store and checked against the leaf hashes stored there; deleting these tables rebuilds them.
 */

/** How far the tree has read: one row. */
@Entity('audit_tree_head')
export class AuditTreeHeadEntity {
  @PrimaryColumn('varchar') id!: string;
  /** Leaves in the tree. */
  @Column('integer') size!: number;
  /** The global position of the last event read (bigint as text), null before the first. */
  @Column({ name: 'after_position', type: 'varchar', nullable: true }) afterPosition!: string | null;
  /** The right edge at `size`: the root without any lookup. */
  @Column('simple-json') frontier!: MerkleFrontierJson;
}

/** Which event each leaf is, and what a bundle or replay needs of it without reading the event. */
@Entity('audit_tree_leaves')
@Index(['streamId', 'leafIndex'])
export class AuditTreeLeafEntity {
  @PrimaryColumn('integer', { name: 'leaf_index' }) leafIndex!: number;
  @Index() @Column('varchar', { name: 'event_id' }) eventId!: string;
  @Column('varchar', { name: 'stream_id' }) streamId!: string;
  /** The leaf format: 1 (type and data) or 2 (docs/audit-log-format.md). Rows from before v2 are 1. */
  @Column('integer', { default: 1 }) version!: number;
  /** A v2 leaf's previous leaf of the same stream (null for its first, and for v1 leaves). */
  @Column('integer', { name: 'previous_leaf', nullable: true }) previous!: number | null;
  /** The event's own time (auditEventTime), ISO 8601 UTC: the time index replay of a period reads. Null on rows from before it. */
  @Index() @Column('varchar', { name: 'event_time', nullable: true }) eventTime!: string | null;
  /** The event's global position in the store (bigint as text). Null on rows from before it. */
  @Column('varchar', { nullable: true }) position!: string | null;
}

/** Every perfect subtree: level 0 is a leaf hash, level l covers 2^l leaves from nodeIndex × 2^l. */
@Entity('audit_tree_nodes')
export class AuditTreeNodeEntity {
  @PrimaryColumn('integer') level!: number;
  @PrimaryColumn('integer', { name: 'node_index' }) nodeIndex!: number;
  /** Lowercase hex SHA-256. */
  @Column('varchar', { length: 64 }) hash!: string;
}

/** The party's signed checkpoints, by size, as found in its checkpoint stream. */
@Entity('audit_checkpoints')
export class AuditCheckpointEntity {
  @PrimaryColumn('integer') size!: number;
  @Column('varchar') origin!: string;
  @Column('varchar', { name: 'root_hash' }) rootHash!: string;
  @Column('text') note!: string;
  @Column('varchar', { name: 'created_at' }) createdAt!: string;
}

export const auditTreeEntities = [AuditTreeHeadEntity, AuditTreeLeafEntity, AuditTreeNodeEntity, AuditCheckpointEntity];
