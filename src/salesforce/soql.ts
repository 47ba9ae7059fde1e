import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';

/**
 * The only way a value reaches SOQL or SOSL text. Escapes follow the SOQL reference
 * (`sforce_api_calls_soql_select_quotedstringescapes.htm`): backslash first, then quotes, and the named
 * control-character escapes. Other control characters have no escape the parser accepts everywhere and no
 * business in our values, so they are dropped.
 */

const SOQL_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

// eslint-disable-next-line no-control-regex
const OTHER_CONTROL_CHARACTERS = /[\u0000-\u0007\u000b\u000e-\u001f\u007f]/g;

/** Removes the control characters that no escape covers (see the note above). */
export function dropUnsafeControlCharacters(value: string): string {
  return value.replace(OTHER_CONTROL_CHARACTERS, '');
}

function escapeSoqlText(value: string): string {
  return dropUnsafeControlCharacters(value).replace(
    /[\\'"\n\r\t\b\f]/g,
    (character) => SOQL_ESCAPES[character],
  );
}

/** A quoted SOQL string literal: `soqlString("O'Brien")` → `'O\'Brien'`. */
export function soqlString(value: string): string {
  return `'${escapeSoqlText(value)}'`;
}

/** A quoted list for `IN (...)`: every item is a separate escaped literal. */
export function soqlStringList(values: readonly string[]): string {
  if (values.length === 0) throw new Error('soqlStringList needs at least one value');
  return `(${values.map(soqlString).join(', ')})`;
}

export type LikeMatch = 'startsWith' | 'endsWith' | 'contains';

/** A quoted LIKE pattern in which `%` and `_` of the value match themselves, not any characters. */
export function soqlLikePattern(value: string, match: LikeMatch): string {
  const literal = escapeSoqlText(value).replace(/[%_]/g, (character) => `\\${character}`);
  switch (match) {
    case 'startsWith':
      return `'${literal}%'`;
    case 'endsWith':
      return `'%${literal}'`;
    case 'contains':
      return `'%${literal}%'`;
  }
}

/**
 * A LIKE pattern matching any text that holds these digits in this order, whatever lies between them:
 * `(415) 555-1212`, `415.555.1212` and `+1 415 555 1212` all match `4155551212`. Digits only.
 */
export function soqlDigitsInOrderPattern(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new Error('soqlDigitsInOrderPattern takes digits only');
  return `'%${digits.split('').join('%')}%'`;
}

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export function isSalesforceId(value: string): boolean {
  return SALESFORCE_ID.test(value);
}

/**
 * A record id as a quoted literal. Ids come from Salesforce, but they travel through our store and tool
 * arguments, so they are checked rather than trusted.
 */
export function soqlId(value: string): string {
  if (!isSalesforceId(value)) {
    throw new SalesforceError(SalesforceErrorCode.VALIDATION, 'not a Salesforce record id', false);
  }
  return `'${value}'`;
}

/** A datetime literal (unquoted in SOQL): `2026-11-24T10:00:00Z`. */
export function soqlDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** SOSL reserved characters (`sforce_api_calls_sosl_find.htm`), escaped with a backslash even inside quotes. */
const SOSL_RESERVED = /[?&|!{}[\]()^~*:\\"'+-]/g;

/**
 * The text between `FIND {` and `}` (the Knowledge search): reserved characters escaped, line breaks and control
 * characters gone.
 */
export function soslTerm(value: string): string {
  return dropUnsafeControlCharacters(value)
    .replace(/[\n\r\t\b\f]/g, ' ')
    .replace(SOSL_RESERVED, (character) => `\\${character}`);
}
