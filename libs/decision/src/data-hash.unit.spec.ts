import { dataHashOf } from './data-hash';

describe('the data hash a released disclosure carries', () => {
  it('is the SHA-256 of canonical JSON, so member order does not change it', () => {
    expect(dataHashOf({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe(dataHashOf({ a: { c: 'x', d: [1, 2] }, b: 1 }));
    // sha256('{}')
    expect(dataHashOf({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});
