import fc from 'fast-check';
import { CanonicalJsonError, canonicalJson, eventLeafHash } from '@silta/transparency';
import { disclosureDecided } from '../testing';
import { fastEventLeafHash, isCanonicalJsonText, splicedV2LeafHash, storedTextLeafHash } from './leaf-hash';

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

describe('hashing a payload as stored text', () => {
  const reparsesTo = (text: string) => {
    try {
      return canonicalJson(JSON.parse(text)) === text;
    } catch {
      return false;
    }
  };

  it('takes canonical text as canonical and gives the reference leaf hash for it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(JSON.parse(JSON.stringify(value)));
        const leaf = storedTextLeafHash('DisclosureDecided', text);
        // Conservative: it may decline (escapes, surrogates), never answer with another hash.
        if (leaf !== undefined) expect(leaf).toBe(hex(eventLeafHash({ type: 'DisclosureDecided', data: JSON.parse(text) })));
      }),
      { numRuns: 2_000 },
    );
    const decision = canonicalJson(disclosureDecided('student-1', 3));
    expect(isCanonicalJsonText(decision)).toBe(true);
  });

  it('answers true only for text that parses and re-canonicalises to itself', () => {
    const texts = fc.oneof(
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.jsonValue().map((value) => JSON.stringify(value, null, 1)),
      fc.jsonValue().map((value) => canonicalJson(JSON.parse(JSON.stringify(value)))),
      fc.string(),
      fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '1', '0', '-', 'e', '.', ' ', 'a', '\\', 'n', 'u', 'l') }),
    );
    fc.assert(
      fc.property(texts, (text) => {
        if (isCanonicalJsonText(text)) expect(reparsesTo(text)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it('refuses the ways stored text can differ from canonical', () => {
    const refused = [
      '{"b":1,"a":2}',
      '{"a":1,"a":2}',
      '{"a": 1}',
      ' {}',
      '{}x',
      '[1,]',
      '{"n":1e5}',
      '{"n":-0}',
      '{"n":1.0}',
      '{"n":01}',
      '{"s":"a\\/b"}',
      '{"s":"\\u0041"}',
      '{"s":"\ud800"}',
      '{"s":"tab\there"}',
      JSON.stringify({ 10: 1, 9: 2 }) /* integer-like names come out in numeric order, not canonical */,
      '',
      'nul',
    ];
    for (const text of refused) expect([text, isCanonicalJsonText(text)]).toEqual([text, false]);
    for (const text of ['{}', '[]', 'null', '{"a":[1,-2,0.5,1e+21,true,false,null],"b":"line\\nbreak \\"q\\" \\\\ \u00e9 \ud83d\ude00"}', '{"":0,"A":1,"a":2,"é":3}', '{"10":1,"9":2}']) {
      expect([text, isCanonicalJsonText(text)]).toEqual([text, true]);
      expect(reparsesTo(text)).toBe(true);
    }
  });
});

describe('splicing a v2 payload into its leaf as stored', () => {
  const place = { id: '0b6a8f4e-3c1d-4e7a-9f2b-6d5c8a1e7f30', stream: 'audit-student-1', revision: 3, previous: 12 };
  const reference = (data: unknown, at = place) => hex(eventLeafHash({ v: 2, ...at, type: 'DisclosureDecided', data }));
  const spliced = (text: string, at = place) => {
    const leaf = splicedV2LeafHash('DisclosureDecided', text, at);
    return leaf && hex(leaf);
  };

  it("gives the reference leaf hash for any canonical payload, and for no other text (the checkpoint's root judges it)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const data = JSON.parse(JSON.stringify(value)) as unknown;
        expect(spliced(canonicalJson(data))).toBe(reference(data));
      }),
      { numRuns: 2_000 },
    );
    const data = disclosureDecided('student-1', 3);
    // Not canonical: the hash is no leaf's, not even that of the value the text parses to.
    for (const text of [JSON.stringify(data, null, 1), JSON.stringify({ zz: 1, ...data })]) expect(spliced(text)).not.toBe(reference(JSON.parse(text)));
    expect(spliced(canonicalJson(data).replace('"partial"', '"permit"'))).not.toBe(reference(data));
    expect(spliced('{"10":1,"9":2}')).toBe(reference({ 10: 1, 9: 2 }));
    expect(spliced('{"9":2,"10":1}')).not.toBe(reference({ 10: 1, 9: 2 }));
  });

  it('declines a type, id or stream that canonical JSON would escape', () => {
    expect(spliced('{}', { ...place, id: 'an "odd" id' })).toBeUndefined();
    expect(spliced('{}', { ...place, stream: 'audit-\\student' })).toBeUndefined();
    expect(splicedV2LeafHash('Disclosure\nDecided', '{}', place)).toBeUndefined();
  });
});
