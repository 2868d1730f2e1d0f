import { z } from 'zod';
import { CategoryOutcome, DecisionFlags, EmergencyWindow, PolicyReference } from '../shared/decision-view.responses';

/** What a disclosure request answers: the decision per category, the released data and its hash, and where the decision is on the audit log. */
export const RequestDisclosureAnswer = z
  .strictObject({
    disclosureId: z.string(),
    /** permit, partial or deny. */
    outcome: z.string(),
    categories: z.array(CategoryOutcome),
    flags: DecisionFlags,
    emergencyWindow: EmergencyWindow.optional(),
    /** The released data: roster's answer for the permitted categories (empty when nothing was permitted). */
    data: z.record(z.string(), z.unknown()),
    /** Hex SHA-256 of the canonical JSON of `data`: what the receiver recomputes and acknowledges in a receipt. */
    dataHash: z.string().regex(/^[0-9a-f]{64}$/),
    audit: z.strictObject({ stream: z.string(), eventId: z.string(), position: z.string(), policy: PolicyReference }),
  })
  .meta({ id: 'RequestDisclosureAnswer' });
