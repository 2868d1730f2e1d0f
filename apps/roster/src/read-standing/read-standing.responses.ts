import { StudentStanding as StandingContract } from '@silta/contracts';

/** What roster tells disclosure and consent about a student's standing: the contract's fields, no more. */
export const ReadStandingAnswer = StandingContract.strict().meta({ id: 'ReadStandingAnswer' });
