import fc from 'fast-check';
import { MalformedJsonError } from './errors';
import { MAX_JSON_DEPTH, parseStrictJson } from './strict-json';

/** The message parseStrictJson throws for `text`, or a note that it did not throw. */
function refusal(text: string, source = 'bundle.json'): string {
  try {
    parseStrictJson(text, source);
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedJsonError);
    return (error as Error).message;
  }
  return 'accepted';
}

describe('parseStrictJson reads what JSON.parse reads', () => {
  const corpus = [
    '0',
    '-0',
    '"plain"',
    'true',
    'false',
    'null',
    '[]',
    '{}',
    ' \t\r\n[ 1 , 2 ]\n ',
    '0.1',
    '-12.5e-3',
    '1E+2',
    '1e-400',
    '1.5e300',
    '9007199254740991',
    '-9007199254740991',
    '9007199254740993.0',
    '1e21',
    '"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\u00e9\\u20AC"',
    '"\\ud83d\\ude00 and a raw 😀, ä, 中"',
    '"\\uD83D\\uDE00"',
    '{"a":{"b":[{"c":null}],"d":""},"e":[[],{}]}',
    '{"2":"two","1":"one","b":1,"a":2}',
    '{"a":1,"A":1,"a ":1}',
    '{"":0}',
    `{"events":[{"leafIndex":0,"streamId":"audit-s1","type":"DisclosureDecided","data":{"decidedAt":"2025-01-08T10:00:00.000Z","n":[1,2.5,-3e2]},"leafHash":"ab","proof":["AAAA"]}]}`,
  ];

  it.each(corpus)('%s', (text) => {
    expect(parseStrictJson(text, 'corpus')).toEqual(JSON.parse(text));
  });

  it('keeps -0 as JSON.parse does', () => {
    expect(Object.is(parseStrictJson('-0', 'corpus'), -0)).toBe(true);
  });

  it('agrees with JSON.parse on generated JSON, refusing only integers a double cannot hold', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        let parsed: unknown;
        try {
          parsed = parseStrictJson(text, 'generated');
        } catch (error) {
          expect((error as Error).message).toMatch(/the integer -?\d+ is beyond ±\(2\^53−1\)/);
          return;
        }
        expect(parsed).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('accepts nesting up to the limit', () => {
    const deepest = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect(parseStrictJson(deepest, 'deep')).toEqual(JSON.parse(deepest));
  });

  it('makes "__proto__" an own data member, never the prototype', () => {
    const text = '{"__proto__":{"polluted":true},"a":1}';
    const parsed = parseStrictJson(text, 'proto') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toEqual({ polluted: true });
    expect((parsed as { polluted?: unknown }).polluted).toBeUndefined();
    expect(parsed).toEqual(JSON.parse(text));
  });
});

describe('parseStrictJson refuses what is not strict I-JSON, naming source, path, line and column', () => {
  it('a duplicate member name, the forged-field attack', () => {
    const text = '{"events":[{},{},{"data":{"decidedAt":"2020-01-01","decidedAt":"2025-01-08"}}]}';
    expect(refusal(text)).toBe('bundle.json: $.events[2].data: duplicate member name "decidedAt" (line 1, column 52)');
  });

  it('a duplicate spelled with an escape (names compare after unescaping)', () => {
    expect(refusal('{\n  "proof": [],\n  "pro\\u006ff": []\n}', 'peer')).toBe('peer: $: duplicate member name "proof" (line 3, column 3)');
  });

  it('a duplicate "__proto__"', () => {
    expect(refusal('{"__proto__":1,"__proto__":2}')).toBe('bundle.json: $: duplicate member name "__proto__" (line 1, column 16)');
  });

  it('names odd member names in brackets', () => {
    expect(refusal('{"a b":{"x":1,"x":2}}')).toBe('bundle.json: $["a b"]: duplicate member name "x" (line 1, column 15)');
  });

  it('lone surrogates, escaped or raw', () => {
    expect(refusal('["ok","\\uD800"]')).toBe('bundle.json: $[1]: a lone surrogate in a string (line 1, column 8)');
    expect(refusal('"a\\uDC00"')).toBe('bundle.json: $: a lone surrogate in a string (line 1, column 3)');
    expect(refusal('"\\uD83Dx"')).toBe('bundle.json: $: a lone surrogate in a string (line 1, column 2)');
    expect(refusal('"\\uD83D\\uD83D\\uDE00"')).toBe('bundle.json: $: a lone surrogate in a string (line 1, column 2)');
    expect(refusal('{"k\ud800":1}')).toBe('bundle.json: $: a lone surrogate in a string (line 1, column 4)');
    expect(refusal('"\udfff"')).toBe('bundle.json: $: a lone surrogate in a string (line 1, column 2)');
  });

  it('numbers a double cannot hold: overflow and integers beyond 2^53−1, and nothing else', () => {
    expect(refusal('{"n":1e309}')).toBe('bundle.json: $.n: the number 1e309 overflows to Infinity (line 1, column 6)');
    expect(refusal('[-1.8e308]')).toBe('bundle.json: $[0]: the number -1.8e308 overflows to -Infinity (line 1, column 2)');
    expect(refusal('9007199254740992')).toBe(
      'bundle.json: $: the integer 9007199254740992 is beyond ±(2^53−1) and cannot be held exactly (line 1, column 1)',
    );
    expect(refusal('-9007199254740992')).toBe(
      'bundle.json: $: the integer -9007199254740992 is beyond ±(2^53−1) and cannot be held exactly (line 1, column 1)',
    );
    expect(refusal('0.1')).toBe('accepted');
    expect(refusal('9007199254740992.0')).toBe('accepted');
  });

  it('nesting deeper than the limit', () => {
    const text = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
    expect(refusal(text)).toBe(`bundle.json: $${'[0]'.repeat(MAX_JSON_DEPTH)}: nesting deeper than 512 levels (line 1, column ${MAX_JSON_DEPTH + 1})`);
  });

  it('a byte order mark and anything after the value', () => {
    expect(refusal('\ufeff{}')).toBe('bundle.json: $: a byte order mark before the JSON text (line 1, column 1)');
    expect(refusal('{} {}')).toBe('bundle.json: $: expected the end of the text after the value, found "{" (line 1, column 4)');
  });

  it.each([
    ['', 'bundle.json: $: expected a value, found the end of the text (line 1, column 1)'],
    ['{"a":1,}', 'bundle.json: $: expected a member name in double quotes, found "}" (line 1, column 8)'],
    ["{'a':1}", `bundle.json: $: expected a member name in double quotes, found "'" (line 1, column 2)`],
    ['{"a" 1}', `bundle.json: $: expected ':' after member name "a", found "1" (line 1, column 6)`],
    ['{"a":1 "b":2}', `bundle.json: $: expected ',' or '}' after a member, found "\\"" (line 1, column 8)`],
    ['[1,]', 'bundle.json: $[1]: expected a value, found "]" (line 1, column 4)'],
    ['[1 2]', `bundle.json: $: expected ',' or ']' after an element, found "2" (line 1, column 4)`],
    ['[tru]', 'bundle.json: $[0]: expected a value, found "t" (line 1, column 2)'],
    ['{"a":[NaN]}', 'bundle.json: $.a[0]: expected a value, found "N" (line 1, column 7)'],
    ['"abc', 'bundle.json: $: a string that is never closed (line 1, column 1)'],
    ['"a\nb"', 'bundle.json: $: a control character U+000A in a string (write it as \\u000A) (line 1, column 3)'],
    ['"\\x"', 'bundle.json: $: an invalid escape \\x in a string (line 1, column 2)'],
    ['"\\u12G4"', 'bundle.json: $: expected four hex digits after \\u (line 1, column 2)'],
    ['-', `bundle.json: $: expected a digit after '-', found the end of the text (line 1, column 1)`],
    ['[-x]', `bundle.json: $[0]: expected a digit after '-', found "x" (line 1, column 2)`],
    ['012', 'bundle.json: $: a number with a leading zero (line 1, column 1)'],
    ['1.', `bundle.json: $: expected a digit after '.' in a number (line 1, column 2)`],
    ['[1e+]', `bundle.json: $[0]: expected a digit after 'e' in a number (line 1, column 3)`],
    ['+1', 'bundle.json: $: expected a value, found "+" (line 1, column 1)'],
    ['{\n"a": [\n  1,\n  x\n]}', 'bundle.json: $.a[1]: expected a value, found "x" (line 4, column 3)'],
  ])('a syntax error: %j', (text, message) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(refusal(text)).toBe(message);
  });
});
