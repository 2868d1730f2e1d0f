import type { DataSource } from 'typeorm';
import { DecisionRecordEntity, type DecisionRecordRow } from '../shared/decision-record.entity';

/** At most this many decision rows share one upsert statement. */
const MAX_ROWS_PER_WRITE = 100;

interface PendingRow {
  readonly row: DecisionRecordRow;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Writes decision-record rows in groups: the rows that arrive while one write is under way go
 * together in the next, one multi-row upsert committed once, instead of one commit per decision.
 * Each caller's promise settles only after its row's write has committed, so a decision is
 * answered only once its row is durable, as before.
 */
export class DecisionRecordWriter {
  private pending: PendingRow[] = [];
  private writing = false;

  constructor(private readonly dataSource: DataSource) {}

  write(row: DecisionRecordRow): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_ROWS_PER_WRITE);
        // One row per id: an upsert may not touch the same row twice. Rows of one id are the same
        // recorded event (a repeated requestId racing the first), so any of them will do.
        const rows = [...new Map(batch.map(({ row }) => [row.disclosureId, row])).values()];
        try {
          await this.dataSource.manager.upsert(DecisionRecordEntity, rows, ['disclosureId']);
          batch.forEach((p) => p.resolve());
        } catch (error) {
          batch.forEach((p) => p.reject(error));
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
