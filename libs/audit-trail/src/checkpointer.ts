import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Between, DataSource, In, type EntityManager } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { eventMetadata, type EventStore, type RecordedEvent } from '@silta/event-store';
import { EVENT_STORE } from '@silta/platform';
import {
  MerkleFrontier,
  StreamMap,
  consistencyProofRanges,
  cosignerKeyOf,
  eventLeafHash,
  foldSubtrees,
  formatCheckpoint,
  inclusionProofRanges,
  mapExtension,
  perfectSubtreesOf,
  signNote,
  subtreeKey,
  type AuditLeafEvent,
  type LeafRange,
  type MapProof,
  type PerfectSubtree,
  type StreamEntry,
} from '@silta/transparency';
import { AUDIT_STREAM_PREFIX, auditEventTime, dataHashOf, leafVersionOf } from './audit-log';
import { AUDIT_CHECKPOINT_SIGNED, CHECKPOINT_STREAM, asAuditCheckpoint, type AuditCheckpoint } from './checkpoint';
import { AUDIT_LOG_SETTINGS, type AuditLogSettings } from './settings';
import { AuditCheckpointEntity, AuditTreeHeadEntity, AuditTreeLeafEntity, AuditTreeNodeEntity } from './tree.entities';

/** Name-based ids of checkpoint events: one origin and size always give the same event id. */
const CHECKPOINT_NAMESPACE = '0b6a8f4e-3c1d-4e7a-9f2b-6d5c8a1e7f30';
const HEAD = 'audit';
/** Events read from the store per transaction. */
const PAGE_SIZE = 500;
/** Rows per INSERT statement (PostgreSQL allows 65,535 parameters). */
const INSERT_CHUNK = 1000;
/** Leaves read per query when the completeness map moves forward. */
const MAP_PAGE = 10_000;

/** A stored leaf hash that differs from the one recomputed from the event: the log was altered. */
export class AuditLogDivergedError extends Error {
  constructor(readonly leafIndex: number, event: RecordedEvent, stored: string, recomputed: string) {
    super(
      `audit log leaf ${leafIndex} (event ${event.id} in ${event.streamId} at position ${event.position}) ` +
        `stores ${stored} but its content gives ${recomputed}; no checkpoint is signed over it`,
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
  /** Leaf format, and for v2 the stream's previous leaf index (docs/audit-log-format.md). */
  readonly version: number;
  readonly previous: number | null;
}

/** A stream's entry in the completeness map at a checkpoint, with its proof against the map root. */
export interface StreamMapProof {
  readonly stream: string;
  /** Undefined when the stream has no leaf in the checkpoint's tree. */
  readonly entry: StreamEntry | undefined;
  readonly proof: MapProof;
}

const hex = (hash: Uint8Array) => Buffer.from(hash).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

/**
 * Follows the party's audit log (every event of an `audit-` stream, in global position order) and
 * signs checkpoints of it: periodically when it grew, and on demand.
 *
 * The tree lives in the service's database (tree.entities.ts): the leaves, every perfect subtree
 * and the right edge, advanced one page of events per transaction from the last position read. So
 * memory stays flat however long the log grows, a restart reads only what is new, and a proof
 * takes O(log² n) subtree lookups. Leaf hashes are recomputed from each event's type and data and
 * compared with the hash stored in its metadata; on a mismatch nothing is signed until the log is
 * repaired (AuditLogDivergedError). Events recorded before leaf hashes were stored have none and
 * count with the recomputed hash.
 *
 * Several instances may run at once: the tree's head row is locked while a page is added (on
 * PostgreSQL; SQLite serialises writers anyway), so each page is added once; a read that finds
 * nothing new takes neither that lock nor a transaction. A checkpoint's event
 * id is derived from its origin and size, and Ed25519 signatures are deterministic, so two
 * instances checkpointing the same size write one event.
 */
@Injectable()
export class AuditCheckpointer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('audit-checkpointer');
  private work: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** The completeness map as of `mapSize` leaves, kept to answer the latest checkpoint's map proofs. */
  private map = new StreamMap();
  private mapSize = 0;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUDIT_LOG_SETTINGS) private readonly settings: AuditLogSettings,
    private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.checkpointIntervalMs > 0) this.schedule();
  }

  /**
   * Stops the timer and, when the log grew since the latest checkpoint, signs one more, so that a
   * short session (a local run ended with Ctrl-C) leaves a log that verifies to its end.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.work.catch(() => undefined);
    await this.checkpoint({ onlyIfGrown: true }).catch((error: Error) => this.logger.error(`no checkpoint at shutdown: ${error.message}`));
  }

  /** The log's origin, the public key its checkpoints verify with, and this party's witness (cosigner) key. */
  get identity(): { verifierKey: string; origin: string; cosignerKey: string } {
    return { verifierKey: this.settings.verifierKey, origin: this.settings.origin, cosignerKey: cosignerKeyOf(this.settings.verifierKey) };
  }

  /** The other party's log, which this one witnesses, if configured. */
  get peer() {
    return this.settings.peer;
  }

  /** Reads what is new and answers the current size of the audit log. */
  size(): Promise<number> {
    return this.exclusive(async () => (await this.catchUp()).size);
  }

  /**
   * Signs and stores a checkpoint of the log as it is now, if it grew since the latest checkpoint
   * (or none exists yet, on demand); answers the latest checkpoint either way.
   */
  checkpoint(options: { onlyIfGrown?: boolean } = {}): Promise<AuditCheckpoint | undefined> {
    return this.exclusive(async () => {
      const head = await this.catchUp();
      const latest = await this.latestStored();
      const grew = latest ? head.size > latest.size : head.size > 0 || !options.onlyIfGrown;
      return grew ? this.sign(head) : latest;
    });
  }

  /** The latest stored checkpoint, if any. */
  latest(): Promise<AuditCheckpoint | undefined> {
    return this.exclusive(async () => {
      await this.catchUp();
      return this.latestStored();
    });
  }

  /** The stored checkpoint at exactly `size`, if any. */
  checkpointAt(size: number): Promise<AuditCheckpoint | undefined> {
    return this.exclusive(async () => {
      await this.catchUp();
      const row = await this.dataSource.manager.findOneBy(AuditCheckpointEntity, { size });
      return row ? asAuditCheckpoint(row) : undefined;
    });
  }

  /** The leaf an event became, if it is in the audit log. */
  leafOf(eventId: string): Promise<AuditLeaf | undefined> {
    return this.exclusive(async () => {
      await this.catchUp();
      const leaf = await this.dataSource.manager.findOne(AuditTreeLeafEntity, { where: { eventId }, order: { leafIndex: 'ASC' } });
      if (!leaf) return undefined;
      const [hash] = await this.hashes(this.dataSource.manager, [{ level: 0, index: leaf.leafIndex }]);
      return { index: leaf.leafIndex, eventId: leaf.eventId, streamId: leaf.streamId, hash: hash!, version: leaf.version, previous: leaf.previous };
    });
  }

  /**
   * The completeness-map proof of `stream` against the checkpoint of `size` (the map as of that
   * many leaves): the entry the checkpoint's map line commits to, or its absence.
   */
  mapProof(stream: string, size: number): Promise<StreamMapProof> {
    return this.exclusive(async () => {
      await this.catchUp();
      const map = await this.mapAt(size);
      return { stream, entry: map.get(stream), proof: map.prove(stream) };
    });
  }

  /** The RFC 9162 inclusion proof of leaf `index` in the tree of the first `treeSize` leaves. */
  inclusionProof(index: number, treeSize: number): Promise<Uint8Array[]> {
    return this.exclusive(async () => this.rangeHashes((await this.catchUp()).size, inclusionProofRanges(index, treeSize), treeSize));
  }

  /** The RFC 9162 consistency proof between two sizes of the log. */
  consistencyProof(oldSize: number, newSize: number): Promise<Uint8Array[]> {
    return this.exclusive(async () => this.rangeHashes((await this.catchUp()).size, consistencyProofRanges(oldSize, newSize), newSize));
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

  /** Runs one piece of work at a time in this instance. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.work.then(task, task);
    this.work = run.catch(() => undefined);
    return run;
  }

  /**
   * Adds every new event to the stored tree, a page per transaction; answers the head. When nothing
   * is new, as for most proof and checkpoint reads, it only reads: no transaction and no lock on the
   * head row, so readers never wait behind an instance adding a page.
   */
  private async catchUp(): Promise<{ size: number; frontier: MerkleFrontier }> {
    const stored = await this.dataSource.manager.findOneBy(AuditTreeHeadEntity, { id: HEAD });
    const after = stored?.afterPosition == null ? undefined : BigInt(stored.afterPosition);
    const nothingNew = (await this.store.readAll({ after, maxCount: 1 })).length === 0;
    if (nothingNew) return { size: stored?.size ?? 0, frontier: stored ? MerkleFrontier.fromJSON(stored.frontier) : new MerkleFrontier() };
    for (;;) {
      const { head, full } = await this.dataSource.transaction((manager) => this.addPage(manager));
      if (!full) return { size: head.size, frontier: MerkleFrontier.fromJSON(head.frontier) };
    }
  }

  private async addPage(manager: EntityManager): Promise<{ head: AuditTreeHeadEntity; full: boolean }> {
    const head = await this.lockHead(manager);
    const after = head.afterPosition === null ? undefined : BigInt(head.afterPosition);
    const page = await this.store.readAll({ after, maxCount: PAGE_SIZE });
    if (page.length === 0) return { head, full: false };

    const frontier = MerkleFrontier.fromJSON(head.frontier);
    const latest = await this.latestLeaves(manager, page.filter(isAuditEvent).map((event) => event.streamId));
    const leaves: AuditTreeLeafEntity[] = [];
    const nodes: AuditTreeNodeEntity[] = [];
    const checkpoints: AuditCheckpointEntity[] = [];
    for (const event of page) {
      if (isAuditEvent(event)) {
        const index = frontier.size;
        const previous = latest.get(event.streamId) ?? null;
        latest.set(event.streamId, index);
        const version = leafVersionOf(event.metadata);
        const hash = eventLeafHash(leafOf(event, version, previous));
        const stored = event.metadata.leafHash;
        if (version === 1 && stored !== undefined && stored !== hex(hash)) throw new AuditLogDivergedError(index, event, `leaf hash ${String(stored)}`, `leaf hash ${hex(hash)}`);
        const storedData = event.metadata.dataHash;
        if (version === 2 && storedData !== undefined && storedData !== dataHashOf(event.data)) {
          throw new AuditLogDivergedError(index, event, `data hash ${String(storedData)}`, `data hash ${dataHashOf(event.data)}`);
        }
        leaves.push({
          leafIndex: index,
          eventId: event.id,
          streamId: event.streamId,
          version,
          previous: version === 2 ? previous : null,
          eventTime: auditEventTime(event.data, event.recordedAt),
          position: event.position.toString(),
        });
        for (const node of frontier.append(hash)) nodes.push({ level: node.level, nodeIndex: node.index, hash: hex(node.hash) });
      } else if (event.streamId === CHECKPOINT_STREAM && event.type === AUDIT_CHECKPOINT_SIGNED) {
        const checkpoint = asAuditCheckpoint(event.data as AuditCheckpoint);
        if (checkpoint.origin === this.settings.origin) checkpoints.push(checkpoint);
      }
    }
    await insertAll(manager, AuditTreeLeafEntity, leaves);
    await insertAll(manager, AuditTreeNodeEntity, nodes);
    await insertAll(manager, AuditCheckpointEntity, checkpoints);
    head.size = frontier.size;
    head.frontier = frontier.toJSON();
    head.afterPosition = page[page.length - 1]!.position.toString();
    await manager.save(AuditTreeHeadEntity, head);
    await this.checkStoredRoots(manager, checkpoints, head.size);
    return { head, full: page.length === PAGE_SIZE };
  }

  /** The latest leaf index of each of these streams already in the tree: a v2 leaf's `previous`. */
  private async latestLeaves(manager: EntityManager, streams: readonly string[]): Promise<Map<string, number>> {
    const latest = new Map<string, number>();
    const distinct = [...new Set(streams)];
    for (let i = 0; i < distinct.length; i += INSERT_CHUNK) {
      const rows = await manager
        .createQueryBuilder(AuditTreeLeafEntity, 'leaf')
        .select('leaf.streamId', 'stream')
        .addSelect('MAX(leaf.leafIndex)', 'latest')
        .where({ streamId: In(distinct.slice(i, i + INSERT_CHUNK)) })
        .groupBy('leaf.streamId')
        .getRawMany<{ stream: string; latest: number | string }>();
      for (const row of rows) latest.set(row.stream, Number(row.latest));
    }
    return latest;
  }

  /**
   * The completeness map as of the first `size` leaves. Kept in memory and moved forward from the
   * stored leaves as checkpoints grow; rebuilt from the start only for an older size than it holds.
   */
  private async mapAt(size: number): Promise<StreamMap> {
    if (size < this.mapSize) {
      this.map = new StreamMap();
      this.mapSize = 0;
    }
    while (this.mapSize < size) {
      const rows = await this.dataSource.manager.find(AuditTreeLeafEntity, {
        select: { leafIndex: true, streamId: true },
        where: { leafIndex: Between(this.mapSize, Math.min(size, this.mapSize + MAP_PAGE) - 1) },
        order: { leafIndex: 'ASC' },
      });
      if (rows.length === 0) throw new Error(`the stored audit tree has no leaf ${this.mapSize}; rebuild it (drop the audit_tree_* tables)`);
      for (const row of rows) {
        if (row.leafIndex !== this.mapSize) throw new Error(`the stored audit tree has no leaf ${this.mapSize}; rebuild it (drop the audit_tree_* tables)`);
        this.map.append(row.streamId, row.leafIndex);
        this.mapSize += 1;
      }
    }
    return this.map;
  }

  /** The head row, created on first use and locked for this transaction on PostgreSQL. */
  private async lockHead(manager: EntityManager): Promise<AuditTreeHeadEntity> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(AuditTreeHeadEntity)
      .values({ id: HEAD, size: 0, afterPosition: null, frontier: new MerkleFrontier().toJSON() })
      .orIgnore()
      .execute();
    const lock = manager.connection.options.type === 'postgres' ? ({ mode: 'pessimistic_write' } as const) : undefined;
    return manager.findOneOrFail(AuditTreeHeadEntity, { where: { id: HEAD }, lock });
  }

  /** A checkpoint in the log whose root is not the tree's root at its size is reported, not trusted. */
  private async checkStoredRoots(manager: EntityManager, checkpoints: readonly AuditCheckpoint[], size: number): Promise<void> {
    for (const checkpoint of checkpoints) {
      if (checkpoint.size === 0 || checkpoint.size > size) continue;
      const [root] = await this.rangeHashesWith(manager, [{ start: 0, end: checkpoint.size }]);
      if (Buffer.from(root!).toString('base64') !== checkpoint.rootHash) {
        this.logger.error(`checkpoint at size ${checkpoint.size} does not match the audit log's root at that size`);
      }
    }
  }

  private rangeHashes(logSize: number, ranges: readonly LeafRange[], treeSize: number): Promise<Uint8Array[]> {
    if (treeSize > logSize) throw new RangeError(`tree size ${treeSize} is beyond the audit log (${logSize} leaves)`);
    return this.rangeHashesWith(this.dataSource.manager, ranges);
  }

  /** MTH of each range, from the stored perfect subtrees it splits into. */
  private async rangeHashesWith(manager: EntityManager, ranges: readonly LeafRange[]): Promise<Uint8Array[]> {
    const parts = ranges.map(perfectSubtreesOf);
    const hashes = await this.hashes(manager, parts.flat());
    let at = 0;
    return parts.map((nodes) => foldSubtrees(hashes.slice(at, (at += nodes.length))));
  }

  /** The stored hashes of the given perfect subtrees, in the same order; one query per level. */
  private async hashes(manager: EntityManager, nodes: readonly PerfectSubtree[]): Promise<Uint8Array[]> {
    const byLevel = new Map<number, number[]>();
    for (const { level, index } of nodes) byLevel.set(level, [...(byLevel.get(level) ?? []), index]);
    const found = new Map<string, Uint8Array>();
    for (const [level, indices] of byLevel) {
      const rows = await manager.findBy(AuditTreeNodeEntity, { level, nodeIndex: In(indices) });
      for (const row of rows) found.set(subtreeKey({ level: row.level, index: row.nodeIndex }), fromHex(row.hash));
    }
    return nodes.map((node) => {
      const hash = found.get(subtreeKey(node));
      if (!hash) throw new Error(`the stored audit tree has no subtree ${subtreeKey(node)}; rebuild it (drop the audit_tree_* tables)`);
      return hash;
    });
  }

  private async latestStored(): Promise<AuditCheckpoint | undefined> {
    const [row] = await this.dataSource.manager.find(AuditCheckpointEntity, { order: { size: 'DESC' }, take: 1 });
    return row ? asAuditCheckpoint(row) : undefined;
  }

  private async sign(head: { size: number; frontier: MerkleFrontier }): Promise<AuditCheckpoint> {
    const { origin, signerKey } = this.settings;
    const { size } = head;
    const root = head.frontier.root();
    const mapRoot = (await this.mapAt(size)).rootHash();
    const checkpoint: AuditCheckpoint = {
      origin,
      size,
      rootHash: Buffer.from(root).toString('base64'),
      note: signNote(formatCheckpoint({ origin, size, root, extensions: [mapExtension(mapRoot)] }), signerKey),
      createdAt: new Date().toISOString(),
    };
    const id = uuidv5(`checkpoint\n${origin}\n${size}`, CHECKPOINT_NAMESPACE);
    // A checkpoint is the log's, not a caller's: the timer and an auditor's request sign the same event
    // (its id comes from origin and size), so it records no actor or cause, only the schema version.
    const result = await this.store.appendToStream(CHECKPOINT_STREAM, [{ id, type: AUDIT_CHECKPOINT_SIGNED, data: checkpoint, metadata: eventMetadata() }], 'any');
    // Another instance may have stored this size first: then answer the checkpoint as stored.
    const [stored] = result.repeated ? await this.store.readStream(CHECKPOINT_STREAM, { fromRevision: result.nextExpectedRevision, maxCount: 1 }) : [];
    const answer = stored ? asAuditCheckpoint(stored.data as AuditCheckpoint) : checkpoint;
    await insertAll(this.dataSource.manager, AuditCheckpointEntity, [answer]);
    // Read past the checkpoint event just stored, so the next reader finds the tree up to date.
    await this.catchUp();
    this.logger.log(`signed checkpoint of ${origin} at size ${size}`);
    return answer;
  }
}

/**
 * The checkpoint this party signed at `size`, as recorded when it was signed, read through the
 * caller's transaction (a consumer's: the checkpointer's own transactions must not nest in it).
 */
export async function signedCheckpointAt(manager: EntityManager, size: number): Promise<AuditCheckpoint | undefined> {
  const row = await manager.findOneBy(AuditCheckpointEntity, { size });
  return row ? asAuditCheckpoint(row) : undefined;
}

/** Inserts rows in chunks, leaving rows that are already there (another instance, or a retry). */
async function insertAll<T extends object>(manager: EntityManager, entity: new () => T, rows: readonly T[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await manager.createQueryBuilder().insert().into(entity).values(rows.slice(i, i + INSERT_CHUNK) as never).orIgnore().execute();
  }
}

const isAuditEvent = (event: RecordedEvent) => event.streamId.startsWith(AUDIT_STREAM_PREFIX);

/** What an audit event's leaf hashes (docs/audit-log-format.md), in the version its metadata names. */
export function leafOf(event: RecordedEvent, version: 1 | 2, previous: number | null): AuditLeafEvent {
  if (version === 1) return { type: event.type, data: event.data };
  return { v: 2, id: event.id, stream: event.streamId, revision: Number(event.revision), previous, type: event.type, data: event.data };
}
