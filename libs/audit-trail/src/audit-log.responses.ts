import { z } from 'zod';

/** A signed checkpoint of the audit log: the RFC 9162 root at a size, as a C2SP signed note. */
const Checkpoint = z.strictObject({
  origin: z.string(),
  size: z.number().int().min(0),
  /** Base64. */
  rootHash: z.string(),
  /** The C2SP signed note. */
  note: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
});

/** The log's origin and its Ed25519 verifier key (C2SP `<name>+<hash>+<base64>`): checkpoints verify with it. */
export const AuditLogKey = z
  .strictObject({
    origin: z.string(),
    /** C2SP verifier key of the log's checkpoints; its name is the origin. */
    verifierKey: z.string(),
    /** The same party's witness key (C2SP tlog-cosignature/v1, type 0x04): its cosignatures of the other party's checkpoints verify with it. */
    cosignerKey: z.string(),
  })
  .meta({ id: 'AuditLogKey' });

/** A signed checkpoint of the audit log. */
export const AuditCheckpoint = Checkpoint.meta({ id: 'AuditCheckpoint' });

/** An inclusion proof of one audit event against a signed checkpoint. */
export const AuditInclusionProof = z
  .strictObject({
    leafIndex: z.number().int().min(0),
    treeSize: z.number().int().min(0),
    /** Lowercase hex, as in the event's metadata. */
    leafHash: z.string(),
    /** Base64 hashes, RFC 9162 order. */
    proof: z.array(z.string()),
    checkpoint: Checkpoint,
  })
  .meta({ id: 'AuditInclusionProof' });

/** A consistency proof between the log at size `from` and at size `to`: base64 hashes. */
export const AuditConsistencyProof = z
  .strictObject({ from: z.number().int().min(0), to: z.number().int().min(0), proof: z.array(z.string()) })
  .meta({ id: 'AuditConsistencyProof' });

/** What witnessing between the parties found: the peer, this log's latest checkpoint the peer cosigned, and alarms. */
export const AuditWitnessing = z
  .strictObject({
    peer: z.strictObject({ origin: z.string(), verifierKey: z.string(), url: z.string() }).nullable(),
    ownCosignedByPeer: z
      .strictObject({
        origin: z.string(),
        size: z.number().int().min(0),
        rootHash: z.string(),
        /** The log's signed note, with the witness's signature added. */
        note: z.string(),
        witnessKey: z.string(),
        cosignedAt: z.iso.datetime({ offset: true }),
      })
      .nullable(),
    /** Forks, rewrites, forged signatures; a healthy pair of logs has none. */
    alarms: z.array(
      z.strictObject({ origin: z.string(), size: z.number().int().min(0), rootHash: z.string(), note: z.string(), reason: z.string(), raisedAt: z.iso.datetime({ offset: true }) }),
    ),
  })
  .meta({ id: 'AuditWitnessing' });
