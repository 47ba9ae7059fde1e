import fc from 'fast-check';
import {
  MASKED_CARD,
  MASKED_SECURITY_CODE,
  MASKED_SSN,
  maskSensitiveData,
  passesLuhn,
} from './sensitive-data';
import { KOREAN_DIGIT_WORDS, SPANISH_DIGIT_WORDS } from './spoken-digits';

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
/** Words that are neither digits nor digit words, so any digit left in the output came from the number. */
const PLAIN_WORDS = ['my', 'card', 'is', 'please', 'charge', 'the', 'invoice', 'again', 'thanks', 'User:'];

function luhnCheckDigit(body: string): string {
  for (let digit = 0; digit <= 9; digit++) if (passesLuhn(`${body}${digit}`)) return String(digit);
  throw new Error('unreachable');
}

/** A card number: 13 to 19 digits that pass the Luhn check. */
const cardNumber = fc
  .integer({ min: 13, max: 19 })
  .chain((length) =>
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length - 1, maxLength: length - 1 }),
  )
  .map((digits) => {
    const body = digits.join('');
    return body + luhnCheckDigit(body);
  });

/** The ways a number reaches a transcript: plain, grouped with spaces or dashes, or read out as words. */
function written(digits: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(digits),
    fc
      .record({
        separator: fc.constantFrom(' ', '-', ' - ', ', '),
        size: fc.constantFrom(3, 4, 5),
      })
      .map(({ separator, size }) => (digits.match(new RegExp(`.{1,${size}}`, 'g')) ?? []).join(separator)),
    fc
      .record({ separator: fc.constantFrom(' ', ', '), capital: fc.boolean() })
      .map(({ separator, capital }) =>
        digits
          .split('')
          .map((digit, index) => {
            const word = WORDS[Number(digit)];
            return capital && index === 0 ? word[0].toUpperCase() + word.slice(1) : word;
          })
          .join(separator),
      ),
  );
}

const words = fc.array(fc.constantFrom(...PLAIN_WORDS), { maxLength: 6 }).map((list) => list.join(' '));

function sentence(number: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(words, number, words)
    .map(([before, middle, after]) => [before, middle, after].filter(Boolean).join(' '));
}

const DIGIT_OR_WORD = /\d|\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b/i;

describe('maskSensitiveData', () => {
  it('should leave no digit of a card number, however it was written', () => {
    fc.assert(
      fc.property(sentence(cardNumber.chain(written)), (text) => {
        const masked = maskSensitiveData(text);
        expect(masked).toContain(MASKED_CARD);
        expect(masked).not.toMatch(DIGIT_OR_WORD);
      }),
    );
  });

  it.each([
    ['Spanish', SPANISH_DIGIT_WORDS, 'mi tarjeta es la', 'gracias'],
    ['Korean', KOREAN_DIGIT_WORDS, '제 카드 번호는', '이고요'],
  ])('should mask a card number read out in %s digit words', (_language, digitWords, before, after) => {
    fc.assert(
      fc.property(cardNumber, fc.constantFrom(' ', ', '), (digits, separator) => {
        const spoken = digits
          .split('')
          .map((digit) => digitWords[Number(digit)])
          .join(separator);
        expect(maskSensitiveData(`${before} ${spoken} ${after}`)).toBe(`${before} ${MASKED_CARD} ${after}`);
      }),
    );
  });

  it('should leave Korean and Spanish words that are also digit words in ordinary text', () => {
    for (const text of [
      '이 일은 오늘 일이 많아서 이 주 안에 처리해 주세요',
      '일 이 삼 사 오 번 항목을 확인해 주세요',
      'Tengo uno o dos problemas con la factura de seis meses',
    ]) {
      expect(maskSensitiveData(text)).toBe(text);
    }
  });

  it('should mask the security code right after a card number', () => {
    const code = fc
      .integer({ min: 3, max: 4 })
      .chain((length) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }))
      .map((digits) => digits.join(''))
      .chain(written);
    const connector = fc.constantFrom(' ', ', ', ', security code ', ' CVV ', ' expires 12/27, code ');
    fc.assert(
      fc.property(words, cardNumber.chain(written), connector, code, (before, card, between, cvv) => {
        const masked = maskSensitiveData(`${before} ${card}${between}${cvv} thanks`);
        // A code read straight after the card may itself complete a longer card number: masked either way.
        expect(masked).toContain(MASKED_CARD);
        expect(masked.replace('12/27', '')).not.toMatch(DIGIT_OR_WORD);
      }),
    );
  });

  it('should mask a US Social Security number written in its own shape', () => {
    const ssn = fc
      .tuple(
        fc.integer({ min: 1, max: 899 }).filter((area) => area !== 666),
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 1, max: 9999 }),
        fc.constantFrom('-', ' '),
      )
      .map(
        ([area, group, serial, separator]) =>
          `${String(area).padStart(3, '0')}${separator}${String(group).padStart(2, '0')}${separator}${String(serial).padStart(4, '0')}`,
      );
    fc.assert(
      fc.property(sentence(ssn), (text) => {
        const masked = maskSensitiveData(text);
        expect(masked).toContain(MASKED_SSN);
        expect(masked).not.toMatch(/\d/);
      }),
    );
  });

  it('should leave numbers that are not card numbers as they are', () => {
    // Grouped by four: no run of whole groups 13 to 19 digits long may pass the Luhn check.
    const noCardInside = (groups: string[]) =>
      groups.every((_, first) =>
        groups.every((__, last) => {
          const digits = groups.slice(first, last + 1).join('');
          return digits.length < 13 || digits.length > 19 || !passesLuhn(digits);
        }),
      );
    const notACard = fc
      .array(fc.integer({ min: 0, max: 9 }), { minLength: 13, maxLength: 24 })
      .map((digits) => digits.join('').match(/.{1,4}/g) ?? [])
      .filter(noCardInside)
      .chain((groups) => fc.constantFrom(' ', '-').map((separator) => groups.join(separator)));
    fc.assert(
      fc.property(sentence(notACard), (text) => {
        expect(maskSensitiveData(text)).toBe(text);
      }),
    );
  });

  it('should change nothing in text without numbers', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }).filter((text) => !DIGIT_OR_WORD.test(text)),
        (text) => {
          expect(maskSensitiveData(text)).toBe(text);
        },
      ),
    );
  });

  it('should be idempotent', () => {
    const piece = fc.oneof(
      fc.constantFrom(...PLAIN_WORDS, ...WORDS, 'oh', ' ', '-', ', ', '/', '.', 'SSN', 'cvv'),
      fc.integer({ min: 0, max: 9 }).map(String),
      cardNumber.chain(written),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const once = maskSensitiveData(pieces.join(''));
        expect(maskSensitiveData(once)).toBe(once);
      }),
    );
  });

  it('should mask a spoken card number glued to the security code of a written one (found by fast-check)', () => {
    const text =
      '973 798 116 129 099257 33477 1738one zero five one two two four two nine eight five one one six five ' +
      'nine zero three one0';
    const once = maskSensitiveData(text);
    expect(once).not.toMatch(/five one two two four/);
    expect(maskSensitiveData(once)).toBe(once);
  });

  it.each([
    [
      'a card number read out as a transcriber writes it',
      'User: It is four one one one, one one one one, one one one one, one one one one.',
      `User: It is ${MASKED_CARD}.`,
    ],
    [
      'a card number with its expiry and security code',
      'card 4111-1111-1111-1111 exp 12/27 cvv 123',
      `card ${MASKED_CARD} exp 12/27 cvv ${MASKED_SECURITY_CODE}`,
    ],
    [
      'an American Express number grouped 4-6-5',
      'Amex 3782 822463 10005 please',
      `Amex ${MASKED_CARD} please`,
    ],
    [
      'a Social Security number read out after the caller names it',
      'my social security number is one two three four five six seven eight nine',
      `my social security number is ${MASKED_SSN}`,
    ],
    ['an SSN in its written shape', 'SSN 123-45-6789.', `SSN ${MASKED_SSN}.`],
  ])('should mask %s', (_what, text, expected) => {
    expect(maskSensitiveData(text)).toBe(expected);
  });

  it.each([
    ['a case number', 'about case 00001027 from yesterday'],
    ['a phone number', 'call me on +1 415 555 0100 or (415) 555-0101'],
    ['a Salesforce id and a call id', 'Task 00T5g00000AbCdE, VAPI call 3f2c7a0e-9c1d-4b8e-a5f1-2d4e6b8c0a13'],
    ['digits inside a URL', 'Recording: https://storage.vapi.ai/4111111111111111-mono.wav'],
    ['nine digits nobody called an SSN', 'order number 123456789'],
    ['an impossible SSN', 'SSN 000-12-3456 and 666-12-3456 and 900-12-3456'],
    ['a date', 'on 2026-03-14 at 10:15'],
  ])('should keep %s', (_what, text) => {
    expect(maskSensitiveData(text)).toBe(text);
  });
});
