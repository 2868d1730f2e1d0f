import { z } from 'zod';
import { CategoryOutcome } from '../shared/decision-view.responses';

/** What an explanation answers: the decision a request would get, per category; nothing is released. */
export const ExplainDisclosureAnswer = z
  .strictObject({
    explanationId: z.string(),
    outcome: z.enum(['permit', 'partial', 'deny']),
    categories: z.array(CategoryOutcome),
    released: z.literal(false),
  })
  .meta({ id: 'ExplainDisclosureAnswer' });
