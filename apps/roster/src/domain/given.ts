import type { Decider } from '@silta/event-store';
import { RosterError, type RosterErrorCode } from './errors';

/**
 * For the decider specs: after `history`, what does the decider decide for a command? Either the
 * new events or `{ rejected: code }` for the rule it broke.
 */
export function given<Command, Event extends { type: string }, State>(decider: Decider<Command, Event, State>, history: readonly Event[]) {
  const state = history.reduce((current, event) => decider.evolve(current, event), decider.initialState);
  return {
    when(command: Command): readonly Event[] | { rejected: RosterErrorCode } {
      try {
        return decider.decide(command, state);
      } catch (error) {
        if (error instanceof RosterError) return { rejected: error.code };
        throw error;
      }
    },
  };
}
