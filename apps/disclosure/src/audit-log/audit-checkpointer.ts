import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import type { EventStore, GlobalPosition, RecordedEvent } from '@silta/event-store';
import { EVENT_STORE } from '@silta/platform';
import {
  MerkleFrontier,
  consistencyProof,
  eventLeafHash,
  formatCheckpoint,
  inclusionProof,
  signNote,
} from '@silta/transparency';
import { AUDIT_CHECKPOINT_SIGNED, CHECKPOINT_STREAM, asAuditCheckpoint, type AuditCheckpoint } from './audit-checkpoint';
import { AUDIT_LOG_SETTINGS, type AuditLogSettings } from './audit-keys';
import { AUDIT_STREAM_PREFIX } from './audit-log';

/** Name-based ids of checkpoint events: one origin and size always give the same event id. */
const CHECKPOINT_NAMESPACE = '0b6a8f4e-3c1d-4e7a-9f2b-6d5c8a1e7f30';
const PAGE_SIZE = 500;

/** A stored leaf hash that differs from the one recomputed from the event: the log was altered. */
export class AuditLogDivergedError extends Error {
  constructor(readonly leafIndex: number, event: RecordedEvent, stored: string, recomputed: string) {
    super(
      `audit log leaf ${leafIndex} (event ${event.id} in ${event.streamId} at position ${event.position}) ` +
        `stores leaf hash ${stored} but its type and data hash to ${recomputed}; no checkpoint is signed over it`,
    );
    this.name = 'AuditLogDivergedError';
  }
}

/** Where one leaf came from. */
export interface AuditLeaf {
  readonly index: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly hash: Uint8Array;
}

/**
 * Follows the party's audit log (every event of an `audit-` stream, in global position order) and
 * signs checkpoints of it: periodically when it grew, and on demand. It keeps the leaf hashes in
 * memory (32 bytes per event; proofs need them) and a MerkleFrontier for the root, both updated
 * incrementally from the last position read, so each call reads only what is new.
 *
 * Leaf hashes are recomputed from each event's type and data and compared with the hash stored in
 * its metadata; on a mismatch nothing is signed until the log is repaired (AuditLogDivergedError).
 * Events recorded before leaf hashes were stored have none and count with the recomputed hash.
 *
 * Several instances may run at once without a lease: a checkpoint's event id is derived from its
 * origin and size, and Ed25519 signatures are deterministic, so two instances checkpointing the
 * same size write one event. Instances at different sizes write a checkpoint each; every one of
 * them is a valid tree head of the same log, which is all a verifier needs.
 */
@Injectable()
export class AuditCheckpointer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('audit-checkpointer');
  private readonly leaves: AuditLeaf[] = [];
  private readonly leafHashes: Uint8Array[] = [];
  private readonly leafByEventId = new Map<string, number>();
  private readonly frontier = new MerkleFrontier();
  private readonly checkpointsBySize = new Map<number, AuditCheckpoint>();
  private latestCheckpoint: AuditCheckpoint | undefined;
  private after: GlobalPosition | undefined;
  private work: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUDIT_LOG_SETTINGS) private readonly settings: AuditLogSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.checkpointIntervalMs > 0) this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.work.catch(() => undefined);
  }

  /** The log's origin and the public key its checkpoints verify with. */
  get identity(): { verifierKey: string; origin: string } {
    return { verifierKey: this.settings.verifierKey, origin: this.settings.origin };
  }

  /** Reads what is new and answers the current size of the audit log. */
  size(): Promise<number> {
    return this.exclusive(async () => {
      await this.catchUp();
      return this.frontier.size;
    });
  }

  /**
   * Signs and stores a checkpoint of the log as it is now, if it grew since the latest checkpoint
   * (or none exists yet, on demand); answers the latest checkpoint either way.
   */
  checkpoint(options: { onlyIfGrown?: boolean } = {}): Promise<AuditCheckpoint | undefined> {
    return this.exclusive(async () => {
      await this.catchUp();
      const size = this.frontier.size;
      const latest = this.latestCheckpoint;
      const grew = latest ? size > latest.size : size > 0 || !options.onlyIfGrown;
      return grew ? this.sign() : latest;
    });
  }

  /** The latest stored checkpoint, if any. */
  latest(): Promise<AuditCheckpoint | undefined> {
    return this.exclusive(async () => {
      await this.catchUp();
      return this.latestCheckpoint;
    });
  }

  /** The stored checkpoint at exactly `size`, if any. */
  checkpointAt(size: number): Promise<AuditCheckpoint | undefined> {
    return this.exclusive(async () => {
      await this.catchUp();
      return this.checkpointsBySize.get(size);
    });
  }

  /** The leaf an event became, if it is in the audit log. */
  leafOf(eventId: string): Promise<AuditLeaf | undefined> {
    return this.exclusive(async () => {
      await this.catchUp();
      const index = this.leafByEventId.get(eventId);
      return index === undefined ? undefined : this.leaves[index];
    });
  }

  /** The RFC 9162 inclusion proof of leaf `index` in the tree of the first `treeSize` leaves. */
  inclusionProof(index: number, treeSize: number): Promise<Uint8Array[]> {
    return this.exclusive(async () => {
      await this.catchUp();
      return inclusionProof(this.leafHashes, index, treeSize);
    });
  }

  /** The RFC 9162 consistency proof between two sizes of the log. */
  consistencyProof(oldSize: number, newSize: number): Promise<Uint8Array[]> {
    return this.exclusive(async () => {
      await this.catchUp();
      return consistencyProof(this.leafHashes, oldSize, newSize);
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.checkpoint({ onlyIfGrown: true })
        .catch((error: Error) => this.logger.error(`no checkpoint this time: ${error.message}`))
        .finally(() => this.schedule());
    }, this.settings.checkpointIntervalMs);
    this.timer.unref();
  }

  /** Runs one piece of work at a time, so the in-memory tree is only ever advanced by one reader. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.work.then(task, task);
    this.work = run.catch(() => undefined);
    return run;
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ after: this.after, maxCount: PAGE_SIZE });
      for (const event of page) {
        if (event.streamId.startsWith(AUDIT_STREAM_PREFIX)) this.addLeaf(event);
        else if (event.streamId === CHECKPOINT_STREAM && event.type === AUDIT_CHECKPOINT_SIGNED) this.addCheckpoint(event);
        this.after = event.position;
      }
      if (page.length < PAGE_SIZE) return;
    }
  }

  private addLeaf(event: RecordedEvent): void {
    const index = this.frontier.size;
    const hash = eventLeafHash({ type: event.type, data: event.data });
    const stored = event.metadata.leafHash;
    const recomputed = Buffer.from(hash).toString('hex');
    if (stored !== undefined && stored !== recomputed) throw new AuditLogDivergedError(index, event, String(stored), recomputed);
    this.frontier.append(hash);
    this.leafHashes.push(hash);
    this.leaves.push({ index, eventId: event.id, streamId: event.streamId, hash });
    if (!this.leafByEventId.has(event.id)) this.leafByEventId.set(event.id, index);
  }

  private addCheckpoint(event: RecordedEvent): void {
    const checkpoint = asAuditCheckpoint(event.data as AuditCheckpoint);
    if (checkpoint.origin !== this.settings.origin) return;
    // A cheap check while passing exactly that size: the stored root must be the tree's root.
    if (checkpoint.size === this.frontier.size && checkpoint.rootHash !== Buffer.from(this.frontier.root()).toString('base64')) {
      this.logger.error(`checkpoint at size ${checkpoint.size} (event ${event.id}) does not match the audit log's root at that size`);
    }
    this.checkpointsBySize.set(checkpoint.size, checkpoint);
    if (!this.latestCheckpoint || checkpoint.size >= this.latestCheckpoint.size) this.latestCheckpoint = checkpoint;
  }

  private async sign(): Promise<AuditCheckpoint> {
    const { origin, signerKey } = this.settings;
    const size = this.frontier.size;
    const root = this.frontier.root();
    const checkpoint: AuditCheckpoint = {
      origin,
      size,
      rootHash: Buffer.from(root).toString('base64'),
      note: signNote(formatCheckpoint({ origin, size, root }), signerKey),
      createdAt: new Date().toISOString(),
    };
    const id = uuidv5(`checkpoint\n${origin}\n${size}`, CHECKPOINT_NAMESPACE);
    const result = await this.store.appendToStream(CHECKPOINT_STREAM, [{ id, type: AUDIT_CHECKPOINT_SIGNED, data: checkpoint }], 'any');
    // Another instance may have stored this size first: answer the checkpoint as stored.
    const [stored] = await this.store.readStream(CHECKPOINT_STREAM, { fromRevision: result.nextExpectedRevision, maxCount: 1 });
    const answer = stored ? asAuditCheckpoint(stored.data as AuditCheckpoint) : checkpoint;
    this.checkpointsBySize.set(answer.size, answer);
    if (!this.latestCheckpoint || answer.size >= this.latestCheckpoint.size) this.latestCheckpoint = answer;
    this.logger.log(`signed checkpoint of ${origin} at size ${size}`);
    return answer;
  }
}
