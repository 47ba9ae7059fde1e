import fc from 'fast-check';
import { truncateCharacters, truncateUtf8Bytes } from './salesforce-text';

const isWellFormed = (value: string): boolean => Buffer.from(value, 'utf8').toString('utf8') === value;

describe('truncateUtf8Bytes', () => {
  it('should fit the byte limit, keep a prefix and never split a character', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.integer({ min: 0, max: 400 }),
        (value, max) => {
          const cut = truncateUtf8Bytes(value, max);
          expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(max);
          expect(value.startsWith(cut)).toBe(true);
          expect(isWellFormed(cut)).toBe(true);
          if (Buffer.byteLength(value, 'utf8') <= max) expect(cut).toBe(value);
        },
      ),
    );
  });

  it('should cut a 4,000-byte comment of multi-byte characters below the limit', () => {
    const comment = 'é'.repeat(2500); // 5,000 bytes
    expect(Buffer.byteLength(truncateUtf8Bytes(comment, 4000))).toBe(4000);
  });
});

describe('truncateCharacters', () => {
  it('should not leave half of a surrogate pair at the end', () => {
    expect(truncateCharacters('ab😀', 3)).toBe('ab');
    expect(truncateCharacters('abc', 5)).toBe('abc');
  });
});
