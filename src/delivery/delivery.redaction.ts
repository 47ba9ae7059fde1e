/**
 * Payload fields an operator may see as they are: record ids, enums, dates and numbers. Every other string
 * (names, phone numbers, emails, addresses, descriptions, comments, transcripts, SMS bodies) is replaced, so
 * operator endpoints never return personal data. An allow-list fails safe when a new field is added.
 */
const VISIBLE_FIELDS = new Set([
  'idempotencyKey',
  'accountId',
  'contactId',
  'caseId',
  'taskId',
  'callId',
  'whoId',
  'whatId',
  'issueType',
  'priority',
  'disposition',
  'activityDate',
  'durationSeconds',
]);

export const REDACTED = '[redacted]';

export function redactPayload(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => redactPayload(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([field, inner]) => [field, redactPayload(inner, field)]),
    );
  }
  if (typeof value === 'string') return key !== undefined && VISIBLE_FIELDS.has(key) ? value : REDACTED;
  return value;
}
