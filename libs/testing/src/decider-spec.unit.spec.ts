import type { Decider } from '@silta/event-store';
import { deciderSpecification } from './decider-spec';

// The decider test helper itself: it passes what the decider does and fails anything else, so a
// spec written with it cannot pass vacuously.

class Refused extends Error {
  constructor(readonly code: string) {
    super(`refused: ${code}`);
  }
}

type Open = { readonly type: 'Open' };
type Opened = { readonly type: 'Opened' };

const door: Decider<Open, Opened, boolean> = {
  initialState: false,
  decide: (_command, open) => {
    if (open) throw new Refused('already_open');
    return [{ type: 'Opened' }];
  },
  evolve: () => true,
};

const open: Open = { type: 'Open' };
const opened: Opened = { type: 'Opened' };

describe('deciderSpecification', () => {
  const given = deciderSpecification(door, Refused);

  it('passes the events the decider appends after the history, and fails others', () => {
    given().when(open).then([opened]);
    expect(() => given().when(open).then([])).toThrow();
  });

  it('passes a refusal by its code, message or shape, and fails another code', () => {
    given(opened).when(open).thenThrows('already_open');
    given(opened).when(open).thenThrows(/refused/);
    given(opened).when(open).thenThrows({ code: 'already_open' });
    expect(() => given(opened).when(open).thenThrows('closed')).toThrow();
  });

  it('fails a refusal expected where the decider decides, naming what it decided', () => {
    expect(() => given().when(open).thenThrows('already_open')).toThrow(/expected the decider to refuse, but it decided \[\{"type":"Opened"\}\]/);
  });

  it("fails a refusal that is not the domain's own error, when the spec names the domain's", () => {
    const buggy: Decider<Open, Opened, boolean> = {
      ...door,
      decide: () => {
        throw Object.assign(new Error('bug'), { code: 'already_open' });
      },
    };
    expect(() => deciderSpecification(buggy, Refused)().when(open).thenThrows('already_open')).toThrow();
    deciderSpecification(buggy)().when(open).thenThrows('already_open');
  });
});
