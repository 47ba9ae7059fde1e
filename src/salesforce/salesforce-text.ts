/** Field-length helpers: cut at a character boundary, never inside a surrogate pair. */

/** At most `maxLength` UTF-16 units (Salesforce text lengths count characters). */
export function truncateCharacters(value: string, maxLength: number): string {
  if (value.length <= maxLength) return value;
  const cut = value.slice(0, maxLength);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** At most `maxBytes` bytes of UTF-8 (CaseComment.CommentBody is limited in bytes, not characters). */
export function truncateUtf8Bytes(value: string, maxBytes: number): string {
  if (Buffer.byteLength(value, 'utf8') <= maxBytes) return value;
  let bytes = 0;
  let end = 0;
  for (const character of value) {
    const size = Buffer.byteLength(character, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += character.length;
  }
  return value.slice(0, end);
}

/** Subject of a Case or Task, and the title of a ContentVersion. */
export const SUBJECT_MAX = 255;
/** Long text areas (Case and Task Description). */
export const LONG_TEXT_MAX = 32_000;

/** CaseComment.CommentBody holds at most 4,000 bytes of UTF-8. */
export const COMMENT_MAX_BYTES = 4_000;

/** A comment body as `addCaseComment` stores it; lookups compare against this form. */
export function caseCommentBody(body: string): string {
  return truncateUtf8Bytes(body, COMMENT_MAX_BYTES);
}
