import { z } from 'zod';

/** A self-contained audit bundle (libs/transparency's AuditBundle): events with their inclusion proofs against one signed checkpoint. */
export const AuditBundleAnswer = z
  .strictObject({
    origin: z.string(),
    verifierKey: z.string(),
    /** The C2SP signed checkpoint note every proof leads to. */
    checkpoint: z.string(),
    events: z.array(
      z.strictObject({
        leafIndex: z.number().int().min(0),
        streamId: z.string(),
        type: z.string(),
        /** The event's data exactly as stored. */
        data: z.unknown(),
        /** Lower-case hex of the event's leaf hash. */
        leafHash: z.string(),
        /** RFC 9162 audit path, base64 hashes, deepest first. */
        proof: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'AuditBundleAnswer' });
