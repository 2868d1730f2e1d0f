import { z } from 'zod';

const LeafIndex = z.number().int().min(0);

/** A self-contained audit bundle (libs/transparency's AuditBundle, docs/audit-log-format.md): events with their inclusion proofs against one signed checkpoint. */
export const AuditBundleAnswer = z
  .strictObject({
    format: z.literal('silta-audit-bundle/v2'),
    origin: z.string(),
    verifierKey: z.string(),
    /** The C2SP signed checkpoint note every proof leads to, with the witnesses' cosignatures. */
    checkpoint: z.string(),
    events: z.array(
      z.strictObject({
        leafIndex: LeafIndex,
        /** 2: id, stream, revision and previous are under the leaf hash; 1 (older events): only type and data. */
        leafVersion: z.union([z.literal(1), z.literal(2)]),
        id: z.string(),
        streamId: z.string(),
        revision: z.number().int().min(0),
        /** A v2 leaf's previous leaf of the same stream (null for the first). */
        previous: LeafIndex.nullable().optional(),
        type: z.string(),
        /** The event's data exactly as stored. */
        data: z.unknown(),
        /** Lower-case hex of the event's leaf hash. */
        leafHash: z.string(),
        /** RFC 9162 audit path, base64 hashes, deepest first. */
        proof: z.array(z.string()),
      }),
    ),
    /** Present when the bundle holds the student's whole audit stream up to the checkpoint: the per-student map proof. */
    completeness: z
      .strictObject({
        stream: z.string(),
        entry: z.strictObject({ latest: LeafIndex, count: z.number().int().min(1) }).nullable(),
        proof: z.strictObject({ siblings: z.array(z.string()), terminal: z.strictObject({ key: z.string(), valueHash: z.string() }).nullable().optional() }),
      })
      .optional(),
  })
  .meta({ id: 'AuditBundleAnswer' });
