import { Inject, Injectable } from '@nestjs/common';
import { Refusal } from '@silta/contracts';
import type { EventStore } from '@silta/event-store';
import { EVENT_STORE, FixedWindowStorage, SERVICE_CONFIG, type Principal, type ServiceConfig } from '@silta/platform';
import { AUDIT_EVENT_SCOPE, type AuditEventScope } from './audit-event-scope';
import type { AuditCheckpoint } from './checkpoint';
import { AuditCheckpointer, AuditLogDivergedError } from './checkpointer';
import { Witness } from './witness';

/** An inclusion proof of one audit event against a signed checkpoint. */
export interface InclusionAnswer {
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Lowercase hex, as in the event's metadata. */
  readonly leafHash: string;
  /** Base64 hashes, RFC 9162 order. */
  readonly proof: string[];
  readonly checkpoint: AuditCheckpoint;
}

export interface ConsistencyAnswer {
  readonly from: number;
  readonly to: number;
  readonly proof: string[];
}

const base64 = (hash: Uint8Array) => Buffer.from(hash).toString('base64');
const hex = (hash: Uint8Array) => Buffer.from(hash).toString('hex');

/**
 * The audit log's public answers: its key, signed checkpoints, inclusion and consistency proofs
 * (cryptographic material: hashes only), and what the witnessing between the parties found.
 */
@Injectable()
export class AuditLogQueries {
  /** When this instance last signed a checkpoint on demand: one window of AUDIT_CHECKPOINT_MIN_INTERVAL_MS allowing one. */
  private readonly onDemandSignings = new FixedWindowStorage();

  constructor(
    readonly checkpointer: AuditCheckpointer,
    private readonly witness: Witness,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUDIT_EVENT_SCOPE) private readonly scope: AuditEventScope,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  identity() {
    return this.checkpointer.identity;
  }

  /**
   * Signs a checkpoint now if the log grew, and answers the latest. Each signing costs a signature and a stored
   * event, so an instance signs on demand at most once per AUDIT_CHECKPOINT_MIN_INTERVAL_MS; sooner is refused
   * (rate_limited, with the seconds to wait). A log that did not grow is answered its latest checkpoint, always.
   */
  checkpointNow(): Promise<AuditCheckpoint> {
    return guard(async () => {
      const latest = await this.checkpointer.latest();
      if (latest && latest.size >= (await this.checkpointer.size())) return latest;
      const minInterval = this.config.AUDIT_CHECKPOINT_MIN_INTERVAL_MS;
      const window = await this.onDemandSignings.increment('on-demand-checkpoint', minInterval, 1);
      if (window.isBlocked) {
        const retryAfter = Math.max(1, window.timeToBlockExpire);
        throw new Refusal('rate_limited', 'rate_limited', `a checkpoint was signed on demand less than ${minInterval} ms ago; retry in ${retryAfter} s`, { retryAfter });
      }
      return (await this.checkpointer.checkpoint())!;
    });
  }

  latest(): Promise<AuditCheckpoint> {
    return guard(async () => {
      const latest = await this.checkpointer.latest();
      if (!latest) throw new Refusal('not_found', 'no_checkpoint', 'no checkpoint has been signed yet; POST /v1/audit/log/checkpoints makes one');
      return latest;
    });
  }

  /**
   * Proof of the audit event `eventId` against the checkpoint at `size`, or the latest (made now if
   * none covers it), for an auditor whose organisation's scope covers the event; any other event
   * is answered as not in the log.
   */
  inclusion(eventId: string, size: number | undefined, caller: Principal): Promise<InclusionAnswer> {
    return guard(async () => {
      const leaf = await this.checkpointer.leafOf(eventId);
      const notFound = new Refusal('not_found', 'not_in_audit_log', `no event ${eventId} in the audit log within your organisation's scope`);
      if (!leaf) throw notFound;
      const event = await this.eventOf(leaf.streamId, eventId);
      if (!event || !(await this.scope.covers(event, caller))) throw notFound;
      const checkpoint = size === undefined ? await this.covering(leaf.index) : await this.checkpointAt(size);
      if (leaf.index >= checkpoint.size) {
        throw new Refusal('conflict', 'not_in_checkpoint', `leaf ${leaf.index} is not in the checkpoint of size ${checkpoint.size}; ask for a later one`);
      }
      const proof = await this.checkpointer.inclusionProof(leaf.index, checkpoint.size);
      return { leafIndex: leaf.index, treeSize: checkpoint.size, leafHash: hex(leaf.hash), proof: proof.map(base64), checkpoint };
    });
  }

  private async eventOf(streamId: string, eventId: string) {
    return (await this.store.readStream(streamId)).find((event) => event.id === eventId);
  }

  /** Consistency proof between sizes `from` and `to` (default: the latest checkpoint's size). */
  consistency(from: number, to: number | undefined): Promise<ConsistencyAnswer> {
    return guard(async () => {
      const newSize = to ?? (await this.latest()).size;
      const size = await this.checkpointer.size();
      if (from > newSize) throw new Refusal('invalid', 'invalid_request', `from (${from}) is larger than to (${newSize})`);
      if (newSize > size) throw new Refusal('invalid', 'invalid_request', `to (${newSize}) is larger than the audit log (${size} events)`);
      const proof = await this.checkpointer.consistencyProof(from, newSize);
      return { from, to: newSize, proof: proof.map(base64) };
    });
  }

  /** What witnessing found: the peer, its latest checkpoint cosigned here, this log's latest cosigned there, and alarms. */
  async witnessing() {
    const peer = this.checkpointer.peer;
    return {
      peer: peer ? { origin: peer.origin, verifierKey: peer.verifierKey, url: peer.url } : null,
      ownCosignedByPeer: (await this.witness.latestCosignature()) ?? null,
      alarms: await this.witness.alarms(),
    };
  }

  /** The latest checkpoint if it covers leaf `index`, else a new one (which does, once the leaf is read). */
  async covering(index: number): Promise<AuditCheckpoint> {
    const latest = await this.checkpointer.latest();
    if (latest && latest.size > index) return latest;
    return (await this.checkpointer.checkpoint())!;
  }

  private async checkpointAt(size: number): Promise<AuditCheckpoint> {
    const checkpoint = await this.checkpointer.checkpointAt(size);
    if (!checkpoint) throw new Refusal('not_found', 'no_checkpoint', `no checkpoint of size ${size}`);
    return checkpoint;
  }
}

/** A log that no longer matches its own leaf hashes is reported, not proven. */
export async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AuditLogDivergedError) throw new Refusal('corrupted', 'audit_log_diverged', error.message);
    throw error;
  }
}
