import type { Decider } from '@silta/event-store';

/** The class of a decider's refusals, so a spec can hold that a refusal is a domain one. */
type RefusalClass = abstract new (...args: never[]) => Error;

/** What a spec expects a refusal to be: its stable code, or a matcher for the thrown error. */
export type RefusalMatcher = string | RegExp | Record<string, unknown>;

/**
 * The one decider test helper (STYLE.md: given events, when command, then events or a refusal):
 * `given(...history).when(command).then(events)` or `.thenThrows(code)`, over any Decider. With
 * `refusals`, a refusal must also be an instance of that class (the domain's typed error).
 *
 * @example
 *   const student = deciderSpecification(studentDecider, RosterError);
 *   student(enrolled).when(enroll()).thenThrows('already_enrolled');
 */
export function deciderSpecification<Command, Event extends { type: string }, State>(
  decider: Decider<Command, Event, State>,
  refusals?: RefusalClass,
) {
  return (...history: readonly Event[]) => {
    const state = history.reduce(decider.evolve, decider.initialState);
    return {
      /** The state the history folds to, for specs that also check a query over it. */
      state,
      when(command: Command) {
        const decide = () => decider.decide(command, state);
        return {
          /** The decider appends exactly these events (none, when the command changes nothing). */
          then(expected: readonly Event[]): void {
            expect(decide()).toEqual(expected);
          },
          /** The decider refuses: a string is the refusal's stable `code`, a RegExp its message. */
          thenThrows(expected: RefusalMatcher): void {
            let thrown: unknown;
            try {
              decide();
            } catch (error) {
              thrown = error;
            }
            if (thrown === undefined) throw new Error(`expected the decider to refuse, but it decided ${JSON.stringify(decide())}`);
            if (refusals) expect(thrown).toBeInstanceOf(refusals);
            if (typeof expected === 'string') expect(thrown).toMatchObject({ code: expected });
            else if (expected instanceof RegExp) expect((thrown as Error).message).toMatch(expected);
            else expect(thrown).toMatchObject(expected);
          },
        };
      },
    };
  };
}
