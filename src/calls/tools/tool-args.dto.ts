import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { DIGIT_WORDS_ANY_LANGUAGE } from '../../common/spoken-digits';
import { CASE_PRIORITIES, CasePriority, ISSUE_TYPES, IssueType } from '../../salesforce/salesforce.types';

/*
 * Arguments of the public tool catalogue (docs/vapi.md, "Tools"). Models send loosely formatted values ("Billing",
 * "case 1027", "00-001-027"), so values are normalised before they are validated. The JSON Schema each tool
 * offers the model is derived from these classes (`toolParameters`); `@JSONSchema` adds the descriptions.
 */

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerCased = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

/**
 * Digits only, left-padded to the 8 digits of Salesforce's default CaseNumber format. Only digits with
 * separators, optionally after "case", "number" or "#", count as a case number: digits picked out of other text
 * (an account number such as "ACME-1001" in the wrong argument) would name a case the caller never meant.
 */
export function normaliseCaseNumber({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  const spoken = String(value)
    .trim()
    .replace(/^(?:case\s*)?(?:number|no\.?|#)?\s*:?\s*/i, '');
  if (!/^[\d\s.\-–]+$/.test(spoken)) return String(value);
  const digits = spoken.replace(/\D/g, '');
  if (digits.length === 0 || digits.length > 10) return String(value);
  return digits.padStart(8, '0');
}

const CASE_NUMBER = /^\d{8,10}$/;

/** Codes are read out more loosely than card numbers: "o" for zero as well, in any language the assistant speaks. */
const SPOKEN_DIGITS = new Map([...DIGIT_WORDS_ANY_LANGUAGE, ['o', '0']]);
const REPEATS = new Map([
  ['double', 2],
  ['triple', 3],
]);
const digitOf = (word: string | undefined): string | undefined =>
  word === undefined ? undefined : /^\d$/.test(word) ? word : SPOKEN_DIGITS.get(word);

/**
 * A one-time code as the caller reads it and the transcriber writes it: "4 8 2 9 1 7", "482-917", "four eight
 * two nine one seven", "double four …", "사 팔 이 구 일 칠" or "사팔이구일칠", "cuatro ocho dos …". Anything else is
 * left as it was (and fails validation).
 */
export function normaliseSpokenCode({ value }: { value: unknown }): unknown {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value !== 'string') return value;
  const words = value
    .toLowerCase()
    .replace(/[.,;:\-–]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  let digits = '';
  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    const repeat = REPEATS.get(word);
    const repeated = repeat === undefined ? undefined : digitOf(words[index + 1]);
    if (repeat !== undefined && repeated !== undefined) {
      digits += repeated.repeat(repeat);
      index++;
    } else if (/^\d+$/.test(word)) {
      digits += word;
    } else if (
      /^[\uac00-\ud7a3]{2,}$/.test(word) &&
      [...word].every((syllable) => SPOKEN_DIGITS.has(syllable))
    ) {
      // Korean transcripts may run digit syllables together.
      digits += [...word].map((syllable) => SPOKEN_DIGITS.get(syllable)).join('');
    } else {
      const digit = digitOf(word);
      if (digit === undefined) return value;
      digits += digit;
    }
  }
  return digits;
}

export class CreateSalesforceCaseArgs {
  /** Required only when the caller was not recognised from their phone number. */
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Length(1, 40)
  @JSONSchema({ description: "The caller's account number, if they were not recognised" })
  accountNumber?: string;

  @Transform(lowerCased)
  @IsIn(ISSUE_TYPES)
  @JSONSchema({ description: 'Kind of problem' })
  issueType!: IssueType;

  @Transform(trimmed)
  @IsString()
  @Length(3, 32_000)
  @JSONSchema({ description: 'What the caller needs, in their words' })
  description!: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Length(1, 255)
  @JSONSchema({ description: 'A short title for the case (optional)' })
  subject?: string;

  @IsOptional()
  @Transform(lowerCased)
  @IsIn(CASE_PRIORITIES)
  @JSONSchema({ description: 'How urgent (optional)' })
  priority?: CasePriority;
}

export class LookupCaseArgs {
  @IsOptional()
  @Transform(normaliseCaseNumber)
  @Matches(CASE_NUMBER)
  @JSONSchema({ type: 'string', description: 'The case number the caller gives, digits only' })
  caseNumber?: string;
}

export class AddCaseCommentArgs {
  @Transform(normaliseCaseNumber)
  @Matches(CASE_NUMBER)
  @JSONSchema({ type: 'string', description: 'The case number, digits only' })
  caseNumber!: string;

  @Transform(trimmed)
  @IsString()
  @Length(1, 4000)
  @JSONSchema({ description: 'The comment to add, in the caller’s words' })
  comment!: string;
}

export class UpdateContactArgs {
  @IsOptional()
  @Transform(trimmed)
  @IsEmail()
  @Length(3, 80)
  @JSONSchema({ description: 'New email address' })
  email?: string;

  @IsOptional()
  @Transform(trimmed)
  @Matches(/^\+?[\d\s().-]{7,20}$/)
  @JSONSchema({ type: 'string', description: 'New phone number' })
  phone?: string;

  @IsOptional()
  @Transform(trimmed)
  @Matches(/^\+?[\d\s().-]{7,20}$/)
  @JSONSchema({ type: 'string', description: 'New mobile number' })
  mobilePhone?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Length(1, 255)
  mailingStreet?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Length(1, 40)
  mailingCity?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Length(1, 80)
  mailingState?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Length(1, 20)
  mailingPostalCode?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Length(1, 80)
  mailingCountry?: string;
}

/** No arguments: the code goes to the number on file, never to one the caller says. */
export class SendVerificationCodeArgs {}

export class VerifyCallerArgs {
  @Transform(normaliseSpokenCode)
  @Matches(/^\d{4,10}$/)
  @JSONSchema({
    type: 'string',
    description: 'The code from the text message, as the caller reads it out (digits or number words)',
  })
  code!: string;
}

export class SearchKnowledgeArgs {
  @Transform(trimmed)
  @IsString()
  @Length(2, 500)
  @JSONSchema({
    type: 'string',
    description:
      'The caller’s how-to question, in their own words (e.g. "how do I reset my portal password")',
  })
  question!: string;
}
