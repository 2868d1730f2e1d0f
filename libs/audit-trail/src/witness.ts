import { Inject, Injectable, Logger } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import { causedByMessage, eventMetadata, type EventMetadataInput, type EventStore, type RecordedEvent } from '@silta/event-store';
import { EVENT_STORE } from '@silta/platform';
import { MalformedJsonError, cosignCheckpoint, cosignerKeyOf, openCheckpoint, openCosignatures, parseStrictJson, verifyConsistency } from '@silta/transparency';
import type { EntityManager } from 'typeorm';
import { AuditCheckpointSignedV1, CheckpointCosignedV1 } from '@silta/contracts';
import type { AuditCheckpoint } from './checkpoint';
import { signedCheckpointAt } from './checkpointer';
import { AUDIT_LOG_SETTINGS, type AuditLogSettings } from './settings';

/** The peer's checkpoints this party witnessed and cosigned, one stream per witnessed log. */
export const WITNESSED_STREAM_PREFIX = 'witnessed-';
export const CHECKPOINT_COSIGNED = 'CheckpointCosigned';
/** The peer's cosignatures of this party's own checkpoints, kept as evidence. */
export const COSIGNATURE_STREAM = 'cosignatures-audit';
export const AUDIT_CHECKPOINT_COSIGNED = 'AuditCheckpointCosigned';
/** Checkpoints or cosignatures that did not check out: a forked, rewritten or forged log. */
export const WITNESS_ALARM_STREAM = 'witness-alarms';
export const WITNESS_ALARM = 'WitnessAlarm';

const WITNESS_NAMESPACE = '7c2e9a41-5b3d-4f6e-8a1c-9d0b2e4f6a83';

/** A checkpoint with a witness's signature added: a CheckpointCosigned event and CheckpointCosignedV1 alike. */
export interface CosignedCheckpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: string;
  /** The log's signed note, with the witness's C2SP tlog-cosignature/v1 added. */
  readonly note: string;
  /** The witness's cosigner key (signature type 0x04; older events hold its note verifier key). */
  readonly witnessKey: string;
  readonly cosignedAt: string;
}

/** Something a witness refused to sign or keep, and why. */
export interface WitnessAlarm {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: string;
  readonly note: string;
  readonly reason: string;
  readonly raisedAt: string;
}

/**
 * Where a witness gets a consistency proof between two sizes of the peer's log: base64 hashes;
 * the peer's refusal (it cannot prove what it claimed: an alarm); or `unavailable` when the peer
 * cannot be reached. A witness skips a checkpoint it cannot check then: the next one it witnesses
 * is proven consistent with the last one it cosigned, which covers the skipped one too.
 */
export type ConsistencySource = (
  from: number,
  to: number,
) => Promise<{ readonly proof: readonly string[] } | { readonly refused: string } | { readonly unavailable: string }>;

export const PEER_CONSISTENCY = Symbol('PeerConsistency');

/** A message from the peer's topic as the witness reads it (an IncomingMessage fits). */
export interface WitnessedMessage {
  readonly eventId: string;
  readonly correlationId?: string | undefined;
  readonly type: string;
  readonly payload: unknown;
}

/** Asks the peer's service, which serves consistency proofs without a token (they are hashes only). */
export function httpConsistencySource(baseUrl: string): ConsistencySource {
  return async (from, to) => {
    const address = `${baseUrl}/v1/audit/log/consistency?from=${from}&to=${to}`;
    let response: Response;
    try {
      response = await fetch(address, { signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      return { unavailable: `the peer at ${baseUrl} could not be reached: ${(error as Error).message}` };
    }
    if (response.status >= 400 && response.status < 500) {
      const problem = (await response.json().catch(() => ({}))) as { detail?: string };
      return { refused: `the peer answered ${response.status} for a consistency proof ${from}→${to}: ${problem.detail ?? ''}`.trim() };
    }
    if (!response.ok) return { unavailable: `the peer answered ${response.status} for a consistency proof ${from}→${to}` };
    let answer: unknown;
    try {
      // Strict I-JSON: with two "proof" members, which one is "the" proof depends on the parser.
      answer = parseStrictJson(await response.text(), address);
    } catch (error) {
      if (error instanceof MalformedJsonError) return { refused: `the peer's consistency proof ${from}→${to} is not strict I-JSON: ${error.message}` };
      throw error;
    }
    const { proof } = (answer ?? {}) as { proof?: unknown };
    if (!Array.isArray(proof) || !proof.every((hash) => typeof hash === 'string')) return { refused: 'the peer sent a consistency proof that is not a list of hashes' };
    return { proof: proof as string[] };
  };
}

/** `not_peer`: a checkpoint of another log on the topic, none of this witness's business. */
export type WitnessOutcome = 'cosigned' | 'already_witnessed' | 'alarm' | 'peer_unavailable' | 'not_peer' | 'not_configured';

const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/**
 * Each party witnesses the other's audit log, as transparency-log witnesses do: a checkpoint the
 * peer publishes is cosigned only if its signature verifies with the peer's key and the peer's log
 * is consistent with the last checkpoint witnessed (an RFC 9162 consistency proof from the peer).
 * A checkpoint that fails either is a fork or a rewrite: it is recorded as a WitnessAlarm, never
 * cosigned. The peer's cosignatures of this party's own checkpoints are checked the same way and
 * kept, so an auditor holds checkpoints both parties signed.
 *
 * Everything is recorded in the event store under ids derived from the log, size and root, so a
 * redelivered message records nothing twice.
 */
@Injectable()
export class Witness {
  private readonly logger = new Logger('witness');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUDIT_LOG_SETTINGS) private readonly settings: AuditLogSettings,
    @Inject(PEER_CONSISTENCY) private readonly consistency: ConsistencySource | null,
  ) {}

  /** The peer published a checkpoint of its log; `cause` is what the events written record of the message (eventMetadata). */
  async witness(checkpoint: AuditCheckpoint, cause: EventMetadataInput = {}): Promise<WitnessOutcome> {
    const peer = this.settings.peer;
    if (!peer || !this.consistency) return 'not_configured';
    if (checkpoint.origin !== peer.origin) return 'not_peer';
    const alarm = (reason: string) => this.raise({ ...checkpoint, reason }, cause);
    let root: Uint8Array;
    try {
      const opened = openCheckpoint(checkpoint.note, [peer.verifierKey], { origin: checkpoint.origin });
      root = opened.checkpoint.root;
      if (opened.checkpoint.size !== checkpoint.size || Buffer.from(root).toString('base64') !== checkpoint.rootHash) {
        return alarm(`the signed note says size ${opened.checkpoint.size}, root ${Buffer.from(root).toString('base64')}; the message says size ${checkpoint.size}, root ${checkpoint.rootHash}`);
      }
    } catch (error) {
      return alarm(`the checkpoint does not verify with the peer's key: ${(error as Error).message}`);
    }

    const last = await this.lastWitnessed(checkpoint.origin);
    if (last && checkpoint.size <= last.size) {
      if (checkpoint.size === last.size && checkpoint.rootHash !== last.rootHash) {
        return alarm(`a second root at size ${last.size}: the log forked (witnessed ${last.rootHash})`);
      }
      if (checkpoint.size < last.size) {
        const problem = await this.inconsistency(checkpoint.size, fromBase64(checkpoint.rootHash), last.size, fromBase64(last.rootHash));
        if (problem instanceof Unavailable) return this.skip(checkpoint, problem);
        if (problem) return alarm(`not a prefix of the checkpoint witnessed at size ${last.size}: ${problem}`);
      }
      return 'already_witnessed';
    }
    if (last && last.size > 0) {
      const problem = await this.inconsistency(last.size, fromBase64(last.rootHash), checkpoint.size, root);
      if (problem instanceof Unavailable) return this.skip(checkpoint, problem);
      if (problem) return alarm(`not consistent with the checkpoint witnessed at size ${last.size}: ${problem}`);
    }
    const cosigned: CosignedCheckpoint = {
      origin: checkpoint.origin,
      size: checkpoint.size,
      rootHash: checkpoint.rootHash,
      note: cosignCheckpoint(checkpoint.note, this.settings.signerKey),
      witnessKey: cosignerKeyOf(this.settings.signerKey),
      cosignedAt: new Date().toISOString(),
    };
    const id = uuidv5(`cosigned\n${checkpoint.origin}\n${checkpoint.size}\n${checkpoint.rootHash}`, WITNESS_NAMESPACE);
    await this.store.appendToStream(witnessedStreamOf(checkpoint.origin), [{ id, type: CHECKPOINT_COSIGNED, data: cosigned, metadata: eventMetadata(cause) }], 'any');
    this.logger.log(`witnessed ${checkpoint.origin} at size ${checkpoint.size}`);
    return 'cosigned';
  }

  /**
   * The peer cosigned one of this party's checkpoints: keep it if both signatures verify and it is
   * the checkpoint this party signed at that size.
   */
  async keep(
    cosigned: CosignedCheckpoint,
    ownCheckpointAt: (size: number) => Promise<AuditCheckpoint | undefined>,
    cause: EventMetadataInput = {},
  ): Promise<'kept' | 'alarm' | 'not_configured'> {
    const peer = this.settings.peer;
    if (!peer || cosigned.origin !== this.settings.origin) return 'not_configured';
    const alarm = (reason: string) => this.raise({ ...cosigned, reason }, cause).then(() => 'alarm' as const);
    const peerCosigner = cosignerKeyOf(peer.verifierKey);
    if (cosigned.witnessKey !== peerCosigner) return alarm(`cosigned by ${cosigned.witnessKey}, not by the peer's cosigner key ${peerCosigner}`);
    try {
      openCheckpoint(cosigned.note, [this.settings.verifierKey], { origin: this.settings.origin });
      openCosignatures(cosigned.note, [peerCosigner]);
    } catch (error) {
      return alarm(`the cosigned checkpoint does not verify with this log's key and the peer's cosignature: ${(error as Error).message}`);
    }
    const own = await ownCheckpointAt(cosigned.size);
    if (!own || own.rootHash !== cosigned.rootHash) {
      return alarm(`this log signed no checkpoint with root ${cosigned.rootHash} at size ${cosigned.size}`);
    }
    const id = uuidv5(`cosignature\n${cosigned.origin}\n${cosigned.size}\n${cosigned.witnessKey}`, WITNESS_NAMESPACE);
    await this.store.appendToStream(COSIGNATURE_STREAM, [{ id, type: AUDIT_CHECKPOINT_COSIGNED, data: cosigned, metadata: eventMetadata(cause) }], 'any');
    return 'kept';
  }

  /**
   * Applies a message from the peer's topic if it is about witnessing (the peer's checkpoint, or
   * its cosignature of one of ours) and answers true; false for any other message. Runs in the
   * consumer's transaction, through which it reads this party's own signed checkpoints. What it
   * records names the message's event as its cause.
   */
  async apply(message: WitnessedMessage, manager: EntityManager): Promise<boolean> {
    const cause = causedByMessage(message);
    if (message.type === AuditCheckpointSignedV1.type) await this.witness(message.payload as AuditCheckpoint, cause);
    else if (message.type === CheckpointCosignedV1.type) await this.keep(message.payload as CosignedCheckpoint, (size) => signedCheckpointAt(manager, size), cause);
    else return false;
    return true;
  }

  /** The latest of this party's checkpoints the peer cosigned, if any. */
  async latestCosignature(): Promise<CosignedCheckpoint | undefined> {
    return (await this.last(COSIGNATURE_STREAM))?.data as CosignedCheckpoint | undefined;
  }

  /** The latest checkpoint of the peer's log this party witnessed, if any. */
  async lastWitnessed(origin: string): Promise<CosignedCheckpoint | undefined> {
    return (await this.last(witnessedStreamOf(origin)))?.data as CosignedCheckpoint | undefined;
  }

  /** Every alarm raised, oldest first (a healthy pair of logs has none). */
  async alarms(): Promise<WitnessAlarm[]> {
    return (await this.store.readStream(WITNESS_ALARM_STREAM)).map((event) => event.data as WitnessAlarm);
  }

  /** Why the peer's log at newSize does not extend it at oldSize, undefined when it does, or Unavailable. */
  private async inconsistency(oldSize: number, oldRoot: Uint8Array, newSize: number, newRoot: Uint8Array): Promise<string | Unavailable | undefined> {
    const answer = await this.consistency!(oldSize, newSize);
    if ('unavailable' in answer) return new Unavailable(answer.unavailable);
    if ('refused' in answer) return answer.refused;
    try {
      verifyConsistency(oldSize, newSize, oldRoot, newRoot, answer.proof.map(fromBase64));
      return undefined;
    } catch (error) {
      return `the log was rewritten or forked (${(error as Error).message})`;
    }
  }

  private skip(checkpoint: AuditCheckpoint, why: Unavailable): 'peer_unavailable' {
    this.logger.warn(`not witnessing ${checkpoint.origin} at size ${checkpoint.size} now (${why.reason}); a later checkpoint will cover it`);
    return 'peer_unavailable';
  }

  private async raise(alarm: Omit<WitnessAlarm, 'raisedAt'>, cause: EventMetadataInput): Promise<'alarm'> {
    const { origin, size, rootHash, note, reason } = alarm;
    this.logger.error(`witness alarm for ${origin} at size ${size}: ${reason}`);
    const id = uuidv5(`alarm\n${origin}\n${size}\n${rootHash}\n${note}`, WITNESS_NAMESPACE);
    const data: WitnessAlarm = { origin, size, rootHash, note, reason, raisedAt: new Date().toISOString() };
    await this.store.appendToStream(WITNESS_ALARM_STREAM, [{ id, type: WITNESS_ALARM, data, metadata: eventMetadata(cause) }], 'any');
    return 'alarm';
  }

  private async last(stream: string): Promise<RecordedEvent | undefined> {
    const [event] = await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    return event;
  }
}

/** The peer could not be asked: not an alarm, just nothing witnessed this time. */
class Unavailable {
  constructor(readonly reason: string) {}
}

/** The stream of one witnessed log's cosigned checkpoints; the origin is kept readable but safe. */
export function witnessedStreamOf(origin: string): string {
  return `${WITNESSED_STREAM_PREFIX}${origin.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** PEER_CONSISTENCY from the settings: the peer's HTTP API, or nothing when no peer is configured. */
export const peerConsistencyProvider = {
  provide: PEER_CONSISTENCY,
  inject: [AUDIT_LOG_SETTINGS],
  useFactory: (settings: AuditLogSettings): ConsistencySource | null => (settings.peer ? httpConsistencySource(settings.peer.url) : null),
};
