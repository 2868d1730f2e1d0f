import { EntitySchema, type DataSource } from 'typeorm';

/** One row per relay: its checkpoint and the lease that makes a single instance active. */
export interface RelayStateRow {
  name: string;
  /** Last global position published, as a decimal string; null before the first publish. */
  checkpoint: string | null;
  owner: string | null;
  /** Epoch milliseconds until which the owner holds the lease. */
  leaseUntil: string;
}

export const RelayStateEntity = new EntitySchema<RelayStateRow>({
  name: 'SiltaRelayState',
  tableName: 'silta_relay_state',
  columns: {
    name: { type: String, primary: true },
    checkpoint: { type: String, nullable: true },
    owner: { type: String, nullable: true },
    leaseUntil: { name: 'lease_until', type: 'bigint', default: 0 },
  },
});

/** Raised when another instance took the lease: this instance must stop publishing. */
export class LeaseLostError extends Error {
  constructor(readonly relayName: string) {
    super(`relay ${relayName} lost its lease to another instance`);
    this.name = 'LeaseLostError';
  }
}

/**
 * The relay's checkpoint and lease, in the service's own database. Every write is conditional on
 * holding the lease, so a paused instance that lost it can never move the checkpoint.
 */
export class RelayState {
  constructor(
    private readonly dataSource: DataSource,
    private readonly name: string,
    private readonly owner: string,
    private readonly leaseMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes the lease if it is free, expired or already ours. */
  async tryAcquire(): Promise<boolean> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(RelayStateEntity)
      .values({ name: this.name, checkpoint: null, owner: null, leaseUntil: '0' })
      .orIgnore()
      .execute();
    const now = this.now();
    const result = await this.dataSource
      .createQueryBuilder()
      .update(RelayStateEntity)
      .set({ owner: this.owner, leaseUntil: String(now + this.leaseMs) })
      .where('name = :name AND (owner = :owner OR owner IS NULL OR lease_until < :now)', {
        name: this.name,
        owner: this.owner,
        now,
      })
      .execute();
    return result.affected === 1;
  }

  /** Extends the lease; throws LeaseLostError if another instance holds it. */
  async renew(): Promise<void> {
    await this.updateOwned({ leaseUntil: String(this.now() + this.leaseMs) });
  }

  async checkpoint(): Promise<bigint | undefined> {
    const row = await this.dataSource.getRepository(RelayStateEntity).findOneBy({ name: this.name });
    return row?.checkpoint == null ? undefined : BigInt(row.checkpoint);
  }

  /** Records that everything up to `position` reached Kafka; renews the lease in the same write. */
  async saveCheckpoint(position: bigint): Promise<void> {
    await this.updateOwned({ checkpoint: position.toString(), leaseUntil: String(this.now() + this.leaseMs) });
  }

  /** Gives the lease up so a standby can take over at once. */
  async release(): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(RelayStateEntity)
      .set({ owner: null, leaseUntil: '0' })
      .where('name = :name AND owner = :owner', { name: this.name, owner: this.owner })
      .execute();
  }

  private async updateOwned(values: Partial<RelayStateRow>): Promise<void> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(RelayStateEntity)
      .set(values)
      .where('name = :name AND owner = :owner', { name: this.name, owner: this.owner })
      .execute();
    if (result.affected !== 1) throw new LeaseLostError(this.name);
  }
}
