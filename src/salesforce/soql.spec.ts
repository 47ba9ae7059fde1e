import fc from 'fast-check';
import { SalesforceError } from './salesforce.errors';
import {
  dropUnsafeControlCharacters,
  LikeMatch,
  soqlDateTime,
  soqlDigitsInOrderPattern,
  soqlId,
  soqlLikePattern,
  soqlString,
  soqlStringList,
  soslTerm,
} from './soql';

/** Characters that matter to SOQL/SOSL syntax, mixed with ordinary ones so shrinking finds small cases. */
const tricky = fc.string({
  unit: fc.constantFrom(
    "'",
    '"',
    '\\',
    '%',
    '_',
    '{',
    '}',
    '(',
    ')',
    '*',
    '?',
    ':',
    '-',
    '+',
    '&',
    '|',
    '!',
    '^',
    '~',
    '[',
    ']',
    '\n',
    '\r',
    '\t',
    '\b',
    '\f',
    '\u0000',
    '\u001b',
    '\u007f',
    ' ',
    'a',
    'Z',
    '7',
    'é',
    '😀',
    ' OR ',
    ' LIMIT ',
    'x',
  ),
  maxLength: 40,
});
const anything = fc.oneof(tricky, fc.string({ unit: 'binary', maxLength: 40 }));

const SOQL_DECODE: Record<string, string> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

interface Piece {
  text: string;
  /** A LIKE wildcard (unescaped % or _) rather than a literal character. */
  wildcard: boolean;
}

/** Reads one SOQL string literal starting at `start` the way the SOQL reference defines it. */
function readLiteral(text: string, start: number, like: boolean): { pieces: Piece[]; end: number } {
  if (text[start] !== "'") throw new Error('no literal here');
  const pieces: Piece[] = [];
  for (let index = start + 1; index < text.length; index += 1) {
    const character = text[index];
    if (character === "'") return { pieces, end: index + 1 };
    if (character === '\\') {
      const next = text[index + 1];
      index += 1;
      if (like && (next === '%' || next === '_')) pieces.push({ text: next, wildcard: false });
      else if (next in SOQL_DECODE) pieces.push({ text: SOQL_DECODE[next], wildcard: false });
      else throw new Error(`invalid escape \\${next}`);
      continue;
    }
    const code = character.charCodeAt(0);
    if ((code < 0x20 || code === 0x7f) && !'\n\r\t\b\f'.includes(character)) {
      throw new Error('raw control character');
    }
    pieces.push({ text: character, wildcard: like && (character === '%' || character === '_') });
  }
  throw new Error('unterminated literal');
}

const literalText = (pieces: Piece[]): string => pieces.map((piece) => piece.text).join('');

describe('soqlString', () => {
  it('should produce one literal that decodes to the value, whatever the value contains', () => {
    fc.assert(
      fc.property(anything, (value) => {
        const query = `SELECT Id FROM Account WHERE Name = ${soqlString(value)} LIMIT 1`;
        const start = query.indexOf("'");
        const { pieces, end } = readLiteral(query, start, false);
        expect(literalText(pieces)).toBe(dropUnsafeControlCharacters(value));
        // Nothing the value contained leaked out of the literal: the rest of the query is untouched.
        expect(query.slice(end)).toBe(' LIMIT 1');
      }),
      { numRuns: 2000 },
    );
  });

  it('should keep values without control characters exactly', () => {
    expect(soqlString('O\'Brien \\ "x"')).toBe(`'O\\'Brien \\\\ \\"x\\"'`);
  });

  it('should quote every item of an IN list separately', () => {
    fc.assert(
      fc.property(fc.array(anything, { minLength: 1, maxLength: 5 }), (values) => {
        const list = soqlStringList(values);
        let index = 1;
        const decoded: string[] = [];
        for (let item = 0; item < values.length; item += 1) {
          const { pieces, end } = readLiteral(list, index, false);
          decoded.push(literalText(pieces));
          index = end + 2; // ", "
        }
        expect(decoded).toEqual(values.map(dropUnsafeControlCharacters));
        expect(list.endsWith(')')).toBe(true);
      }),
    );
  });
});

describe('soqlLikePattern', () => {
  it('should match the value literally, with wildcards only where asked', () => {
    fc.assert(
      fc.property(
        anything,
        fc.constantFrom<LikeMatch[]>('startsWith', 'endsWith', 'contains'),
        (value, match) => {
          const pattern = soqlLikePattern(value, match);
          const { pieces, end } = readLiteral(pattern, 0, true);
          expect(end).toBe(pattern.length);
          const leading = match !== 'startsWith';
          const trailing = match !== 'endsWith';
          const inner = pieces.slice(leading ? 1 : 0, trailing ? -1 : undefined);
          if (leading) expect(pieces[0]).toEqual({ text: '%', wildcard: true });
          if (trailing) expect(pieces[pieces.length - 1]).toEqual({ text: '%', wildcard: true });
          expect(inner.some((piece) => piece.wildcard)).toBe(false);
          expect(literalText(inner)).toBe(dropUnsafeControlCharacters(value));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('soqlDigitsInOrderPattern', () => {
  it('should match every written form holding the digits in order, and refuse anything but digits', () => {
    expect(soqlDigitsInOrderPattern('4155551212')).toBe("'%4%1%5%5%5%5%1%2%1%2%'");
    expect(() => soqlDigitsInOrderPattern("415' OR Name != '")).toThrow();
    expect(() => soqlDigitsInOrderPattern('')).toThrow();
  });
});

const SOSL_RESERVED = new Set('?&|!{}[]()^~*:\\"\'+-'.split(''));

describe('soslTerm', () => {
  it('should keep the search term inside its braces and escape every reserved character', () => {
    fc.assert(
      fc.property(anything, (value) => {
        const term = soslTerm(value);
        const query = `FIND {${term}} IN PHONE FIELDS RETURNING Contact(Id)`;
        let index = 'FIND {'.length;
        let decoded = '';
        while (query[index] !== '}') {
          if (query[index] === '\\') {
            expect(SOSL_RESERVED.has(query[index + 1])).toBe(true);
            decoded += query[index + 1];
            index += 2;
          } else {
            expect(SOSL_RESERVED.has(query[index])).toBe(false);
            decoded += query[index];
            index += 1;
          }
        }
        expect(query.slice(index)).toBe('} IN PHONE FIELDS RETURNING Contact(Id)');
        expect(decoded).toBe(dropUnsafeControlCharacters(value).replace(/[\n\r\t\b\f]/g, ' '));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('soqlId', () => {
  it('should accept 15- and 18-character ids and refuse anything else', () => {
    expect(soqlId('003000000000001AAA')).toBe("'003000000000001AAA'");
    expect(soqlId('003000000000001')).toBe("'003000000000001'");
    expect(() => soqlId("003000000000001' OR Id != '")).toThrow(SalesforceError);
    expect(() => soqlId('')).toThrow(SalesforceError);
  });
});

describe('soqlDateTime', () => {
  it('should write a SOQL datetime literal without milliseconds', () => {
    expect(soqlDateTime(new Date('2026-11-24T10:00:00.123Z'))).toBe('2026-11-24T10:00:00Z');
  });
});
