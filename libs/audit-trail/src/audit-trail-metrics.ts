import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ServiceMetrics } from '@silta/platform';
import { AuditCheckpointer } from './checkpointer';
import { AUDIT_LOG_SETTINGS, type AuditLogSettings } from './settings';
import { Witness } from './witness';

/**
 * The audit log's state for Prometheus, read when it scrapes: how many leaves the log has, the
 * latest signed checkpoint (size, when), the signing interval (so an alert can say "older than two
 * intervals" without knowing the setting), and the witness's view of the peer's log. Labels are
 * log origins only.
 */
/** How long one read of the latest checkpoint serves the gauges of a scrape. */
const SCRAPE_MS = 1_000;

@Injectable()
export class AuditTrailMetrics implements OnApplicationBootstrap {
  constructor(
    private readonly metrics: ServiceMetrics,
    private readonly checkpointer: AuditCheckpointer,
    private readonly witness: Witness,
    @Inject(AUDIT_LOG_SETTINGS) private readonly settings: AuditLogSettings,
  ) {}

  onApplicationBootstrap(): void {
    const { metrics, checkpointer, witness, settings } = this;
    // The checkpoint's size and time are two gauges read in the same scrape: one read serves both.
    let read: { at: number; latest: ReturnType<AuditCheckpointer['latest']> } | undefined;
    const latest = () => {
      if (!read || Date.now() - read.at > SCRAPE_MS) read = { at: Date.now(), latest: checkpointer.latest() };
      return read.latest;
    };
    metrics.gauge({ name: 'silta_audit_tree_size', help: "Leaves in the party's audit log (the checkpointer reads what is new first)" }, async (gauge) => {
      gauge.set(await checkpointer.size());
    });
    metrics.gauge({ name: 'silta_audit_checkpoint_size', help: 'Size of the latest signed checkpoint of the audit log' }, async (gauge) => {
      const checkpoint = await latest();
      if (checkpoint) gauge.set(checkpoint.size);
    });
    metrics.gauge({ name: 'silta_audit_checkpoint_timestamp_seconds', help: 'When the latest checkpoint was signed, unix seconds' }, async (gauge) => {
      const checkpoint = await latest();
      if (checkpoint) gauge.set(Date.parse(checkpoint.createdAt) / 1000);
    });
    metrics.gauge({ name: 'silta_audit_checkpoint_interval_seconds', help: 'How often the log is checkpointed when it grew (AUDIT_CHECKPOINT_INTERVAL_MS; 0: on demand only)' }, (gauge) => {
      gauge.set(settings.checkpointIntervalMs / 1000);
    });
    const peer = settings.peer;
    if (!peer) return;
    metrics.gauge({ name: 'silta_witness_witnessed_size', help: "The largest checkpoint of the peer's log this party has witnessed (cosigned)", labelNames: ['peer'] }, async (gauge) => {
      gauge.set({ peer: peer.origin }, (await witness.lastWitnessed(peer.origin))?.size ?? 0);
    });
    metrics.gauge({ name: 'silta_witness_alarms', help: "Witness alarms raised about the peer's log: a checkpoint not consistent with what was witnessed (any is an incident)", labelNames: ['peer'] }, async (gauge) => {
      gauge.set({ peer: peer.origin }, (await witness.alarms()).filter((alarm) => alarm.origin === peer.origin).length);
    });
  }
}
