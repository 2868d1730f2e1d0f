/**
 * Strict I-JSON (RFC 7493) parsing for the verifiers. JSON.parse keeps the last of two members
 * with one name, so a bundle holding `"decidedAt":"<forged>","decidedAt":"<real>"` hashes to a
 * real leaf while a reader (or another parser, which may keep the first) sees the forged value.
 * A verifier must read exactly one value from the text it trusts, so this parser refuses every
 * text that two conforming parsers could read differently.
 */
import { MalformedJsonError } from './errors';

/** Deeper nesting is refused: no audit document needs it, and it keeps the recursion shallow. */
export const MAX_JSON_DEPTH = 512;

/**
 * Parses RFC 8259 JSON text as JSON.parse does, but throws MalformedJsonError (naming `source`,
 * the JSON path, line and column) for: a syntax error; a BOM or anything after the value; two
 * members with one name in an object (compared after unescaping); a lone surrogate, raw or
 * escaped; nesting deeper than MAX_JSON_DEPTH; and a number that is not I-JSON. For numbers that
 * means only two things: one that overflows to ±Infinity, and an integer literal (no fraction,
 * no exponent) beyond ±(2^53−1). Nothing else is refused: 0.1, 1e-400 (which reads as 0) and
 * 1.5e300 all come back as JSON.parse gives them. A "__proto__" member is an own data member,
 * as with JSON.parse; it never changes the object's prototype.
 */
export function parseStrictJson(text: string, source: string): unknown {
  return new StrictJsonParser(text, source).parseText();
}

/** One JSON path segment: a member name or an array index. */
type PathSegment = string | number;

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const HEX4 = /^[0-9A-Fa-f]{4}$/;
/** Characters a string may hold as they are: not `"`, `\`, a control character or a surrogate. */
// eslint-disable-next-line no-control-regex -- JSON forbids exactly these control characters raw in a string.
const PLAIN_RUN = /[^"\\\u0000-\u001f\ud800-\udfff]+/y;

class StrictJsonParser {
  private position = 0;
  private readonly path: PathSegment[] = [];

  constructor(
    private readonly text: string,
    private readonly source: string,
  ) {}

  parseText(): unknown {
    if (this.text.startsWith('\ufeff')) throw this.fail('a byte order mark before the JSON text');
    this.skipWhitespace();
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.position < this.text.length) throw this.fail(`expected the end of the text after the value, found ${this.found()}`);
    return value;
  }

  private parseValue(): unknown {
    const char = this.text[this.position];
    if (char === '{') return this.parseObject();
    if (char === '[') return this.parseArray();
    if (char === '"') return this.parseString();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.parseNumber();
    for (const [literal, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(literal, this.position)) {
        this.position += literal.length;
        return value;
      }
    }
    throw this.fail(`expected a value, found ${this.found()}`);
  }

  private parseObject(): Record<string, unknown> {
    this.enterContainer();
    const object: Record<string, unknown> = {};
    if (this.consumeAfterWhitespace('}')) return object;
    do {
      this.skipWhitespace();
      const nameAt = this.position;
      if (this.text[this.position] !== '"') throw this.fail(`expected a member name in double quotes, found ${this.found()}`);
      const name = this.parseString();
      if (Object.hasOwn(object, name)) throw this.fail(`duplicate member name ${JSON.stringify(name)}`, nameAt);
      this.skipWhitespace();
      if (!this.consume(':')) throw this.fail(`expected ':' after member name ${JSON.stringify(name)}, found ${this.found()}`);
      this.skipWhitespace();
      this.path.push(name);
      // defineProperty, not assignment: `object["__proto__"] = v` would set the prototype instead.
      Object.defineProperty(object, name, { value: this.parseValue(), writable: true, enumerable: true, configurable: true });
      this.path.pop();
    } while (this.consumeAfterWhitespace(','));
    if (!this.consume('}')) throw this.fail(`expected ',' or '}' after a member, found ${this.found()}`);
    return object;
  }

  private parseArray(): unknown[] {
    this.enterContainer();
    const array: unknown[] = [];
    if (this.consumeAfterWhitespace(']')) return array;
    do {
      this.skipWhitespace();
      this.path.push(array.length);
      array.push(this.parseValue());
      this.path.pop();
    } while (this.consumeAfterWhitespace(','));
    if (!this.consume(']')) throw this.fail(`expected ',' or ']' after an element, found ${this.found()}`);
    return array;
  }

  /** Reads a string literal, checking that every surrogate in its value is half of a pair. */
  private parseString(): string {
    const start = this.position;
    this.position++; // the opening quote
    let value = '';
    // Where the high surrogate waiting for its low half came from, raw or escaped.
    let pendingHighAt: number | undefined;
    const append = (unit: string, at: number) => {
      const code = unit.charCodeAt(0);
      if (pendingHighAt !== undefined && !isLowSurrogate(code)) throw this.fail('a lone surrogate in a string', pendingHighAt);
      if (pendingHighAt === undefined && isLowSurrogate(code)) throw this.fail('a lone surrogate in a string', at);
      pendingHighAt = isHighSurrogate(code) ? at : undefined;
      value += unit;
    };
    for (;;) {
      PLAIN_RUN.lastIndex = this.position;
      const run = PLAIN_RUN.exec(this.text);
      if (run) {
        if (pendingHighAt !== undefined) throw this.fail('a lone surrogate in a string', pendingHighAt);
        value += run[0];
        this.position += run[0].length;
      }
      const at = this.position;
      const char = this.text[at];
      if (char === undefined) throw this.fail('a string that is never closed', start);
      if (char === '"') break;
      if (char === '\\') {
        append(this.parseEscape(), at);
        continue;
      }
      const code = char.charCodeAt(0);
      if (code < 0x20) throw this.fail(`a control character U+${hex4(code)} in a string (write it as \\u${hex4(code)})`);
      append(char, at);
      this.position++;
    }
    if (pendingHighAt !== undefined) throw this.fail('a lone surrogate in a string', pendingHighAt);
    this.position++; // the closing quote
    return value;
  }

  /** Reads one escape sequence at the backslash and returns the UTF-16 code unit it stands for. */
  private parseEscape(): string {
    const letter = this.text[this.position + 1];
    if (letter === 'u') {
      const digits = this.text.slice(this.position + 2, this.position + 6);
      if (!HEX4.test(digits)) throw this.fail('expected four hex digits after \\u');
      this.position += 6;
      return String.fromCharCode(parseInt(digits, 16));
    }
    const unescaped = letter === undefined ? undefined : ESCAPES[letter];
    if (unescaped === undefined) throw this.fail(`an invalid escape \\${letter ?? ''} in a string`);
    this.position += 2;
    return unescaped;
  }

  private parseNumber(): number {
    NUMBER.lastIndex = this.position;
    const match = NUMBER.exec(this.text);
    if (!match) throw this.fail(`expected a digit after '-', found ${this.found(this.position + 1)}`);
    const [literal, fraction, exponent] = match;
    const next = this.text[this.position + literal.length];
    if (literal.replace('-', '') === '0' && next !== undefined && next >= '0' && next <= '9') throw this.fail('a number with a leading zero');
    const unfinished = (next === '.' && fraction === undefined && exponent === undefined) || ((next === 'e' || next === 'E') && exponent === undefined);
    if (unfinished) throw this.fail(`expected a digit after '${next}' in a number`, this.position + literal.length);
    const value = Number(literal);
    if (!Number.isFinite(value)) throw this.fail(`the number ${literal} overflows to ${value}`);
    if (fraction === undefined && exponent === undefined && !Number.isSafeInteger(value)) {
      throw this.fail(`the integer ${literal} is beyond ±(2^53−1) and cannot be held exactly`);
    }
    this.position += literal.length;
    return value;
  }

  private enterContainer(): void {
    if (this.path.length >= MAX_JSON_DEPTH) throw this.fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    this.position++;
  }

  private skipWhitespace(): void {
    while (WHITESPACE.has(this.text[this.position] as string)) this.position++;
  }

  private consume(char: string): boolean {
    if (this.text[this.position] !== char) return false;
    this.position++;
    return true;
  }

  private consumeAfterWhitespace(char: string): boolean {
    this.skipWhitespace();
    return this.consume(char);
  }

  /** What stands at `at`, for "expected X, found Y". */
  private found(at = this.position): string {
    const char = this.text.codePointAt(at);
    return char === undefined ? 'the end of the text' : JSON.stringify(String.fromCodePoint(char));
  }

  private fail(reason: string, at = this.position): MalformedJsonError {
    const { line, column } = lineAndColumn(this.text, at);
    return new MalformedJsonError(this.source, formatPath(this.path), reason, line, column);
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
const hex4 = (code: number) => code.toString(16).toUpperCase().padStart(4, '0');

/** `$`, then `.name` for identifier-like names, `["odd name"]` for others and `[i]` for indexes. */
function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return IDENTIFIER.test(segment) ? `${text}.${segment}` : `${text}[${JSON.stringify(segment)}]`;
  }, '$');
}

/** 1-based line and column of a UTF-16 offset; lines end at \n, columns count code points. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.split('\n').length;
  return { line, column: [...before.slice(lineStart)].length + 1 };
}
