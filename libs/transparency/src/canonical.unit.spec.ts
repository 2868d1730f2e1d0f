import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { canonicalJson, eventLeafHash, leafData, verifyLeafHash } from './canonical';
import { CanonicalJsonError, LeafHashMismatchError } from './errors';
import { leafHash } from './merkle';
import { hex } from './testing/fixtures';

const fromIeee754 = (bits: string) => Buffer.from(bits, 'hex').readDoubleBE(0);

describe('RFC 8785 canonical JSON', () => {
  // RFC 8785 §3.2.2 and §3.2.4 example, also cyberphone/json-canonicalization testdata/input/values.json
  // and testdata/output/values.json (commit 19d51d7fe467d4706a3ff08adf8a748f29fc21e0).
  it('serialises the RFC example: numbers in ECMAScript form, literals, and minimal string escapes', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    const output = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`;
    expect(canonicalJson(JSON.parse(input))).toBe(output);
    // §3.2.4: the canonical text as UTF-8 bytes.
    expect(Buffer.from(canonicalJson(JSON.parse(input)), 'utf8').toString('hex')).toBe(
      '7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c226e756d62657273223a5b3333333333333333332e333333333333332c31652b33302c342e352c302e3030322c31652d32375d2c22737472696e67223a22e282ac245c75303030665c6e4127425c225c5c5c5c5c222f227d',
    );
  });

  // RFC 8785 §3.2.3 sorting example, extended in cyberphone/json-canonicalization testdata/*/weird.json.
  it('sorts members by UTF-16 code units, not code points or locale', () => {
    const input = String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\u000a": "Newline",
      "1": "One",
      "\u0080": "Control\u007f",
      "\ud83d\ude02": "Smiley",
      "\u00f6": "Latin Small Letter O With Diaeresis",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "</script>": "Browser Challenge"
    }`;
    expect(canonicalJson(JSON.parse(input))).toBe(
      '{"\\n":"Newline","\\r":"Carriage Return","1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f",' +
        '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  // cyberphone/json-canonicalization testdata, input/ and output/ of the same name.
  it.each([
    ['arrays', '[\n  56,\n  {\n    "d": true,\n    "10": null,\n    "1": [ ]\n  }\n]\n', '[56,{"1":[],"10":null,"d":true}]'],
    [
      'french',
      '{\n  "peach": "This sorting order",\n  "péché": "is wrong according to French",\n  "pêche": "but canonicalization MUST",\n  "sin":   "ignore locale"\n}\n',
      '{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ignore locale"}',
    ],
    [
      'structures',
      '{\n  "1": {"f": {"f": "hi","F": 5} ,"\\n": 56.0},\n  "10": { },\n  "": "empty",\n  "a": { },\n  "111": [ {"e": "yes","E": "no" } ],\n  "A": { }\n}',
      '{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{"E":"no","e":"yes"}],"A":{},"a":{}}',
    ],
    ['unicode (not normalised)', '{\n  "Unnormalized Unicode":"A\\u030a"\n}\n', '{"Unnormalized Unicode":"A\u030a"}'],
  ])('matches the reference output for %s', (_, input, output) => {
    expect(canonicalJson(JSON.parse(input))).toBe(output);
  });

  // RFC 8785 Appendix B: IEEE 754 binary64 values and their canonical text.
  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'], // minus zero
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('serialises the number with IEEE 754 bits %s as %s (Appendix B)', (bits, text) => {
    expect(canonicalJson(fromIeee754(bits))).toBe(text);
  });

  it.each([
    ['NaN (Appendix B 7fffffffffffffff)', fromIeee754('7fffffffffffffff'), '$', 'NaN is not a JSON number'],
    ['Infinity (Appendix B 7ff0000000000000)', { a: [fromIeee754('7ff0000000000000')] }, '$.a[0]', 'Infinity is not a JSON number'],
    ['a bigint', { amount: 10n }, '$.amount', 'bigint is not JSON'],
    ['undefined at the top', undefined, '$', 'undefined is not JSON'],
    ['undefined in an array', [1, undefined], '$[1]', 'undefined is not JSON'],
    ['a function', { f: () => 1 }, '$.f', 'function is not JSON'],
    ['a Date (pass an ISO string)', { at: new Date(0) }, '$.at', 'Date is not a plain JSON object'],
    ['a Map', { 'odd key': new Map() }, '$["odd key"]', 'Map is not a plain JSON object'],
    ['a lone surrogate in a value (I-JSON)', { s: 'a\ud800b' }, '$.s', 'string has a lone UTF-16 surrogate'],
    ['a lone surrogate in a member name', { '\udc00': 1 }, 'a member name in $', 'string has a lone UTF-16 surrogate'],
  ])('refuses %s, naming the path', (_, value, path, reason) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(value)).toThrow(`cannot canonicalise ${path}: ${reason}`);
  });

  it("accepts plain objects of another realm (JSON parsed there), still refusing that realm's other objects", () => {
    expect(canonicalJson(runInNewContext('({ b: { c: 1 }, a: [] })'))).toBe('{"a":[],"b":{"c":1}}');
    expect(() => canonicalJson({ m: runInNewContext('new Map()') })).toThrow('cannot canonicalise $.m: Map is not a plain JSON object');
  });

  it('refuses a cycle but accepts a value shared by two members', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    expect(() => canonicalJson(cyclic)).toThrow('cannot canonicalise $.self.back: value refers to itself');
    const shared = { x: 1 };
    expect(canonicalJson({ b: shared, a: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it('leaves out members whose value is undefined, as JSON.stringify and the event stores do', () => {
    expect(canonicalJson({ b: 1, a: undefined, c: { d: undefined } })).toBe('{"b":1,"c":{}}');
    expect(canonicalJson(Object.assign(Object.create(null) as object, { z: 1, y: 2 }))).toBe('{"y":2,"z":1}');
  });

  it('gives the same text for any JSON value after a round trip through JSON text and reordering', () => {
    const reorder = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reorder)
        : typeof value === 'object' && value !== null
          ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reorder(v)]))
          : value;
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const canonical = canonicalJson(value);
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonical);
        expect(canonicalJson(reorder(value))).toBe(canonical);
        expect(canonicalJson(JSON.parse(canonical))).toBe(canonical);
      }),
    );
  });
});

describe('audit event leaves', () => {
  const event = {
    type: 'DisclosureDecided',
    data: { disclosureId: 'd-1', decision: { outcome: 'released', categories: ['attendance', 'grades'] }, decidedAt: '2026-01-05T10:00:00.000Z' },
  };

  it('hash exactly the canonical JSON of {data, type}, as UTF-8', () => {
    const expected =
      '{"data":{"decidedAt":"2026-01-05T10:00:00.000Z","decision":{"categories":["attendance","grades"],"outcome":"released"},"disclosureId":"d-1"},"type":"DisclosureDecided"}';
    expect(new TextDecoder().decode(leafData(event))).toBe(expected);
    expect(hex(eventLeafHash(event))).toBe(hex(leafHash(new TextEncoder().encode(expected))));
  });

  it('do not depend on member order, on store metadata, or on how the store round-trips the payload', () => {
    const stored = JSON.parse(JSON.stringify({ ...event, id: 'e-9', metadata: { correlationId: 'c' }, position: '17' })) as typeof event;
    const reordered = { data: { decidedAt: event.data.decidedAt, disclosureId: 'd-1', decision: event.data.decision, note: undefined }, type: event.type };
    expect(hex(eventLeafHash(stored))).toBe(hex(eventLeafHash(event)));
    expect(hex(eventLeafHash(reordered))).toBe(hex(eventLeafHash(event)));
  });

  it('count a missing payload as null, as the stores write it', () => {
    expect(new TextDecoder().decode(leafData({ type: 'Empty', data: undefined }))).toBe('{"data":null,"type":"Empty"}');
  });

  it('name the leaf whose stored hash no longer matches its event', () => {
    const stored = eventLeafHash(event);
    expect(hex(verifyLeafHash(41, event, stored))).toBe(hex(stored));
    const edited = { ...event, data: { ...event.data, decision: { outcome: 'refused', categories: [] } } };
    expect(() => verifyLeafHash(41, edited, stored)).toThrow(LeafHashMismatchError);
    expect(() => verifyLeafHash(41, edited, stored)).toThrow(new RegExp(`^leaf 41 hash mismatch: stored ${hex(stored)}, recomputed [0-9a-f]{64}$`));
  });
});
