/*
 * Masks payment card numbers, the security codes spoken right after them, and US Social Security numbers in
 * free text (transcripts, summaries, case descriptions, comments) before it is written to Salesforce. Pure and
 * idempotent: masking masked text changes nothing.
 *
 * Callers read numbers out, so transcribers write them as digits ("4111 1111 …", "4111-1111-…") or as words
 * ("four one one one …", "oh" for zero; "cuatro uno …" or "사 일 …" on a Spanish or Korean line). Both are read as
 * one sequence of digits. A card number is 13 to 19
 * digits that pass the Luhn check (ISO/IEC 7812) and start and end where the caller paused (a space, dash or
 * comma, or a whole word), so digits picked out of the middle of a longer number are never taken for a card.
 * No library fits: the ones that find card numbers (e.g. credit-card validators) take one string of digits,
 * not digits spread over spoken words in a sentence.
 */

import { DIGIT_WORDS_ANY_LANGUAGE } from './spoken-digits';

export const MASKED_CARD = '[card number]';
export const MASKED_SECURITY_CODE = '[security code]';
export const MASKED_SSN = '[SSN]';

/**
 * A digit, or a digit word of any language the assistant speaks ("four", "cuatro", 사) standing as a word of its
 * own: `\b` knows only ASCII letters, so a word's edges are "no letter, digit or underscore" in Unicode.
 */
const DIGIT_ITEM = new RegExp(
  `\\d|(?<![\\p{L}\\p{N}_])(?:${[...DIGIT_WORDS_ANY_LANGUAGE.keys()].join('|')})(?![\\p{L}\\p{N}_])`,
  'giu',
);
/** What may stand between two digits of one number: nothing, spaces, or one dash or comma. */
const GAP = /^(?:[ \t]+|[ \t]*[-–,][ \t]*)?$/;
/** A letter, digit or slash next to a number means it is part of something else (an id, a URL). */
const ATTACHED = /[\p{L}\p{N}_/]/u;
/** How far after a card number its security code may come ("…, security code one two three"). */
const CODE_REACH = 60;
/** An expiry date between a card number and its code ("12/27", "12 / 2027") is skipped. */
const EXPIRY_SLASH = /^[ \t]*\/[ \t]*$/;
const SSN_WRITTEN = /(?<![\p{L}\p{N}_/-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\p{L}\p{N}_/-])/gu;
const SSN_KEYWORD = /\b(?:ssn|s\.s\.n\.?|social security(?: number| no\.?)?|social)\W*(?:is|:)?\W*$/i;
const SSN_KEYWORD_REACH = 40;

interface DigitItem {
  digit: string;
  start: number;
  end: number;
  /** Spoken as a word ("four") rather than written as a digit. */
  word: boolean;
  /** A new group starts here: the caller paused before this digit (or spoke it as a word). */
  groupStart: boolean;
}

/** Digits that follow one another with at most a pause between them: one number as the caller said it. */
type DigitRun = DigitItem[];

interface Replacement {
  start: number;
  end: number;
  text: string;
}

export function maskSensitiveData(text: string): string {
  // Masking can reveal a number that its neighbours hid (digits glued to a spoken number, a code taken for
  // part of a card): masked again until nothing changes, so that what is stored is masked for good.
  let masked = text;
  for (let pass = 0; pass < MAX_MASKING_PASSES; pass++) {
    const next = maskSsns(maskCards(masked));
    if (next === masked) return masked;
    masked = next;
  }
  return masked;
}

/** Each pass only replaces digits with placeholders, so passes converge; the bound keeps a pathological text cheap. */
const MAX_MASKING_PASSES = 4;

/** Luhn (mod 10) check over a string of digits. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let value = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
  }
  return digits.length > 0 && sum % 10 === 0;
}

function digitRuns(text: string): DigitRun[] {
  const runs: DigitRun[] = [];
  let current: DigitRun = [];
  for (const match of text.matchAll(DIGIT_ITEM)) {
    const token = match[0];
    const word = !/^\d$/.test(token);
    const previous = current[current.length - 1];
    const gap = previous ? text.slice(previous.end, match.index) : '';
    const joins = previous !== undefined && GAP.test(gap);
    if (previous && !joins) {
      runs.push(current);
      current = [];
    }
    current.push({
      digit: word ? (DIGIT_WORDS_ANY_LANGUAGE.get(token.toLowerCase()) ?? token) : token,
      start: match.index,
      end: match.index + token.length,
      word,
      groupStart: !joins || word || previous.word || gap.length > 0,
    });
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

function groupEnds(run: DigitRun, index: number): boolean {
  return index === run.length - 1 || run[index + 1].groupStart;
}

function standsAlone(text: string, start: number, end: number): boolean {
  return !ATTACHED.test(text.charAt(start - 1)) && !ATTACHED.test(text.charAt(end));
}

/**
 * The card number starting at `from` in `run`: the index of its last digit, if there is one. When several
 * lengths pass the Luhn check, the one that leaves a whole number behind (nothing, a 3–4 digit code, or another
 * card) wins, so that "card, then code" read in one breath is not split in the wrong place.
 */
function cardAt(text: string, run: DigitRun, from: number): number | undefined {
  if (!run[from].groupStart) return undefined;
  const digits = run.map((item) => item.digit).join('');
  const candidates: number[] = [];
  for (let length = Math.min(19, run.length - from); length >= 13; length--) {
    const last = from + length - 1;
    if (!groupEnds(run, last)) continue;
    if (!standsAlone(text, run[from].start, run[last].end)) continue;
    if (passesLuhn(digits.slice(from, from + length))) candidates.push(last);
  }
  const leavesWholeNumber = (last: number) => {
    const rest = run.length - last - 1;
    return rest === 0 || rest === 3 || rest === 4 || rest >= 13;
  };
  return candidates.find(leavesWholeNumber) ?? candidates[0];
}

/** The security code after a card that ended at `run[last]`: the rest of that run, or the next number. */
function securityCodeAfter(
  text: string,
  runs: DigitRun[],
  runIndex: number,
  last: number,
): DigitItem[] | undefined {
  const rest = runs[runIndex].slice(last + 1);
  if (rest.length > 0) return rest.length === 3 || rest.length === 4 ? rest : undefined;
  const cardEnd = runs[runIndex][last].end;
  let next = runIndex + 1;
  const expiryMonth = runs[next];
  const expiryYear = runs[next + 1];
  if (
    expiryMonth &&
    expiryYear &&
    expiryMonth.length <= 2 &&
    (expiryYear.length === 2 || expiryYear.length === 4) &&
    EXPIRY_SLASH.test(text.slice(expiryMonth[expiryMonth.length - 1].end, expiryYear[0].start))
  ) {
    next += 2;
  }
  const code = runs[next];
  if (!code || (code.length !== 3 && code.length !== 4)) return undefined;
  if (code[0].start - cardEnd > CODE_REACH) return undefined;
  if (!standsAlone(text, code[0].start, code[code.length - 1].end)) return undefined;
  return code;
}

function maskCards(text: string): string {
  const runs = digitRuns(text);
  const replacements: Replacement[] = [];
  runs.forEach((run, runIndex) => {
    let index = 0;
    while (index < run.length) {
      const last = run.length - index >= 13 ? cardAt(text, run, index) : undefined;
      if (last === undefined) {
        index++;
        continue;
      }
      replacements.push({ start: run[index].start, end: run[last].end, text: MASKED_CARD });
      const code = securityCodeAfter(text, runs, runIndex, last);
      if (code) {
        replacements.push({
          start: code[0].start,
          end: code[code.length - 1].end,
          text: MASKED_SECURITY_CODE,
        });
      }
      index = code && code[0] === run[last + 1] ? run.length : last + 1;
    }
  });
  return applyReplacements(text, replacements);
}

/** SSA rules: area 001–899 except 666, group 01–99, serial 0001–9999. */
function isPossibleSsn(digits: string): boolean {
  const area = Number(digits.slice(0, 3));
  return (
    digits.length === 9 &&
    area !== 0 &&
    area !== 666 &&
    area < 900 &&
    digits.slice(3, 5) !== '00' &&
    digits.slice(5) !== '0000'
  );
}

function maskSsns(text: string): string {
  const replacements: Replacement[] = [];
  // Written in the SSN's own shape (123-45-6789, 123 45 6789): that shape alone says what it is.
  for (const match of text.matchAll(SSN_WRITTEN)) {
    if (isPossibleSsn(`${match[1]}${match[3]}${match[4]}`)) {
      replacements.push({ start: match.index, end: match.index + match[0].length, text: MASKED_SSN });
    }
  }
  // Nine digits in any other form ("123456789", "one two three …") only after the caller names it.
  for (const run of digitRuns(text)) {
    if (run.length !== 9) continue;
    const start = run[0].start;
    const end = run[run.length - 1].end;
    if (replacements.some((taken) => taken.start < end && start < taken.end)) continue;
    if (!standsAlone(text, start, end) || !isPossibleSsn(run.map((item) => item.digit).join(''))) continue;
    if (!SSN_KEYWORD.test(text.slice(Math.max(0, start - SSN_KEYWORD_REACH), start))) continue;
    replacements.push({ start, end, text: MASKED_SSN });
  }
  return applyReplacements(text, replacements);
}

function applyReplacements(text: string, replacements: Replacement[]): string {
  if (replacements.length === 0) return text;
  const ordered = [...replacements].sort((a, b) => a.start - b.start);
  let result = '';
  let position = 0;
  for (const { start, end, text: replacement } of ordered) {
    if (start < position) continue;
    result += text.slice(position, start) + replacement;
    position = end;
  }
  return result + text.slice(position);
}
