import fc from 'fast-check';
import { CanonicalJsonError, eventLeafHash } from '@silta/transparency';
import { disclosureDecided } from '../testing';
import { fastEventLeafHash } from './leaf-hash';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('the fast leaf hash verify uses', () => {
  it('gives the reference leaf hash for every JSON value a store can hand back', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, type) => {
        const data = JSON.parse(JSON.stringify(value)) as unknown;
        expect(hex(fastEventLeafHash({ type, data }))).toBe(hex(eventLeafHash({ type, data })));
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives the reference hash for a stored decision and for the awkward corners of RFC 8785', () => {
    const cases: unknown[] = [
      disclosureDecided('student-1', 3),
      JSON.parse('{"__proto__":{"a":1},"b":[-0,1e21,1e-7,0.1,123456789012345680000]}'),
      { 'é': 1, e: 2, '\u{1F600}': 3, '\uFFFD': 4, A: 5, a: [null, true, false, ''] },
      { text: 'line\nbreak\ttab "quoted" \\ back \u0001 \u007f \u2028', nested: { deeper: { deepest: [[[]], {}] } } },
      null,
      'just a string',
      { skipped: undefined, kept: 1 },
    ];
    for (const data of cases) expect(hex(fastEventLeafHash({ type: 'DisclosureDecided', data }))).toBe(hex(eventLeafHash({ type: 'DisclosureDecided', data })));
    expect(hex(fastEventLeafHash({ type: 'T', data: undefined }))).toBe(hex(eventLeafHash({ type: 'T', data: undefined })));
  });

  it('refuses what the reference refuses, with the reference error', () => {
    const refused: unknown[] = [{ lone: 'a\ud800b' }, { when: new Date(0) }, { n: Number.NaN }, [undefined], { big: 1n }];
    for (const data of refused) {
      expect(() => fastEventLeafHash({ type: 'T', data })).toThrow(CanonicalJsonError);
      expect(() => eventLeafHash({ type: 'T', data })).toThrow(CanonicalJsonError);
    }
    // A literal backslash-u text is not a surrogate: both hash it.
    const data = { text: 'C:\\udata' };
    expect(hex(fastEventLeafHash({ type: 'T', data }))).toBe(hex(eventLeafHash({ type: 'T', data })));
  });
});
