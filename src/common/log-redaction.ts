/*
 * Personal data and secrets must never reach the logs. Two layers: pino's `redact` removes known fields
 * (headers that carry credentials or signatures, and any field named like a phone, email or transcript), and
 * `scrubText` masks anything that still looks like an email, phone number or bearer token inside free text
 * such as error messages.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-vapi-secret"]',
  'req.headers["x-vapi-signature"]',
  'req.headers["x-signature"]',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.phone',
  '*.number',
  '*.customerNumber',
  '*.callerNumber',
  '*.to',
  '*.from',
  '*.email',
  '*.transcript',
  '*.summary',
  '*.description',
  '*.comment',
  '*.body',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.secret',
  '*.password',
];

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// E.164 and common national formats: "+14155550100", "(415) 555-0100", "415.555.0101", "415-555-0102".
const PHONE = /\+\d[\d\s().-]{6,}\d|\(\d{3}\)\s?\d{3}[\s.-]?\d{4}|\b\d{3}[.-]\d{3}[.-]\d{4}\b/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
// Salesforce access tokens: org id, '!', then the session part.
const SALESFORCE_TOKEN = /\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+/g;

export function scrubText(text: string): string {
  return text
    .replace(SALESFORCE_TOKEN, '[token]')
    .replace(BEARER, '$1 [token]')
    .replace(EMAIL, '[email]')
    .replace(PHONE, '[phone]');
}
