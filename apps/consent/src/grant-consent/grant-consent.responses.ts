import { z } from 'zod';

/** What granting a consent answers: its id and the version granted. */
export const GrantConsentAnswer = z
  .strictObject({ consentId: z.string(), version: z.number().int().positive(), positionToken: z.string() })
  .meta({ id: 'GrantConsentAnswer' });
