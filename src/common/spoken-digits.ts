/** Digits as callers say them and transcribers write them out; "oh" is zero in numbers and codes. */
export const DIGIT_WORDS: ReadonlyMap<string, string> = new Map(
  ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']
    .map((word, digit): [string, string] => [word, String(digit)])
    .concat([['oh', '0']]),
);
