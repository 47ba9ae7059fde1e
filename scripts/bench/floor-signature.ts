import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The check every floor server does, the same as our webhook's default mode: HMAC-SHA256 in hex over
 * `{timestamp}.{body}` (header x-signature, x-timestamp), compared in constant time, with a 300 s replay window
 * (timestamps in seconds or milliseconds).
 */
export function validVapiSignature(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): boolean {
  const signature = String(headers['x-signature'] ?? '');
  const timestamp = String(headers['x-timestamp'] ?? '');
  const sentAt = Number(timestamp);
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
  const given = Buffer.from(signature, 'hex');
  const fresh = Math.abs(Date.now() - (sentAt >= 1e12 ? sentAt : sentAt * 1000)) <= 300_000;
  return fresh && given.length === expected.length && timingSafeEqual(given, expected);
}

/** Big enough for an end-of-call report, as the service's VAPI_BODY_LIMIT_BYTES default. */
export const FLOOR_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
