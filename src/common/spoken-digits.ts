/** Digits as callers say them and transcribers write them out; "oh" is zero in numbers and codes. */
export const DIGIT_WORDS: ReadonlyMap<string, string> = new Map(
  ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']
    .map((word, digit): [string, string] => [word, String(digit)])
    .concat([['oh', '0']]),
);

/** Sino-Korean digit words, index = digit: how Koreans read numbers digit by digit (zero as 공; 영 also heard). */
export const KOREAN_DIGIT_WORDS = ['공', '일', '이', '삼', '사', '오', '육', '칠', '팔', '구'] as const;
/** Spanish digit words, index = digit. */
export const SPANISH_DIGIT_WORDS = [
  'cero',
  'uno',
  'dos',
  'tres',
  'cuatro',
  'cinco',
  'seis',
  'siete',
  'ocho',
  'nueve',
] as const;

const byDigit = (words: readonly string[]) =>
  words.map((word, digit): [string, string] => [word, String(digit)]);

/** Digit words of every language the assistant speaks, for values a caller reads out (one-time codes). */
export const DIGIT_WORDS_ANY_LANGUAGE: ReadonlyMap<string, string> = new Map([
  ...DIGIT_WORDS,
  ...byDigit(KOREAN_DIGIT_WORDS),
  ['영', '0'],
  ...byDigit(SPANISH_DIGIT_WORDS),
]);
