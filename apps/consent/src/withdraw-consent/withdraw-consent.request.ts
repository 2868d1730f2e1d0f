import { z } from 'zod';

/** Body of the withdraw call: optional, as is the reason (kept in the log, never published). */
export const WithdrawConsentRequest = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).optional();
export type WithdrawConsentRequest = z.infer<typeof WithdrawConsentRequest>;
