import { LOCALES } from '../../src/calls/voice/locales';

/** Every fixed sentence of the English table (its strings; the functions' words are caught by `latinPhrases`). */
function englishSentences(table: unknown = LOCALES.en.sentences): string[] {
  if (typeof table === 'string') return table.length >= 12 ? [table] : [];
  if (typeof table !== 'object' || table === null) return [];
  return Object.values(table).flatMap((value) => englishSentences(value));
}

const ENGLISH_SENTENCES = englishSentences();
const HANGUL = /[\uac00-\ud7a3]/;
/** Three Latin-alphabet words in a row: an English phrase, not a tool name or an enum value in a prompt. */
const LATIN_PHRASE = /\b[A-Za-z']{2,} [A-Za-z']{2,} [A-Za-z']{2,}\b/g;

/**
 * What in `heard` (texts by where they were heard) is not Korean: a text without Hangul, a sentence of the
 * English table, or an English phrase. Empty when the caller heard Korean only.
 */
export function notKorean(heard: Record<string, string>): string[] {
  return Object.entries(heard).flatMap(([where, text]) => [
    ...(HANGUL.test(text) ? [] : [`${where}: no Hangul in "${text}"`]),
    ...ENGLISH_SENTENCES.filter((sentence) => text.includes(sentence)).map(
      (sentence) => `${where}: English sentence "${sentence}"`,
    ),
    ...[...text.matchAll(LATIN_PHRASE)].map(([phrase]) => `${where}: English phrase "${phrase}"`),
  ]);
}

/** A case number as a Korean voice should read it: Sino-Korean digit words, zero as 공. */
export function inKoreanDigits(caseNumber: string): string {
  return caseNumber
    .split('')
    .map((digit) => '공일이삼사오육칠팔구'[Number(digit)])
    .join(' ');
}
