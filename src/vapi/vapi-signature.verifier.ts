import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { VapiAuthMode } from './vapi.config';

export interface VapiSignatureSettings {
  authModes: VapiAuthMode[];
  secrets: string[];
  hmac: {
    algorithm: 'sha256' | 'sha512' | 'sha1';
    signatureHeader: string;
    timestampHeader: string;
    payloadTemplate: string;
    encoding: 'hex' | 'base64';
    signaturePrefix: string;
    toleranceSeconds: number;
  };
  bearerHeader: string;
  secretHeader: string;
  signatureHeader: string;
}

export type RequestHeaders = Record<string, string | string[] | undefined>;

/** A single header value; repeated headers are refused rather than guessed at. */
function header(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Equal-length digests compared in constant time; hashing first hides the lengths of the inputs. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function decodeSignature(text: string, encoding: 'hex' | 'base64'): Buffer | undefined {
  const trimmed = text.trim();
  if (encoding === 'hex') return /^[0-9a-fA-F]+$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : undefined;
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
}

function sameDigest(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Epoch seconds or milliseconds (VAPI does not document the unit), or an ISO date; undefined if neither. */
export function parseTimestampMs(text: string): number | undefined {
  if (/^\d{1,16}(\.\d+)?$/.test(text)) {
    const value = Number(text);
    return value >= 1e12 ? value : value * 1000;
  }
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/**
 * The HMAC of the signed bytes: the template with `{timestamp}` and `{body}` replaced, the body inserted byte
 * for byte. Fed to the HMAC piece by piece, so the body is not copied into a payload buffer first.
 */
function signedDigest(
  algorithm: string,
  secret: string,
  template: string,
  timestamp: string,
  rawBody: Buffer,
): Buffer {
  const hmac = createHmac(algorithm, secret);
  template.split('{body}').forEach((part, index) => {
    if (index > 0) hmac.update(rawBody);
    if (part.length > 0) hmac.update(part.replace(/\{timestamp\}/g, timestamp), 'utf8');
  });
  return hmac.digest();
}

/**
 * Why a request failed one mode, for the log (never the values): its header is missing or repeated, it is not
 * in the mode's format, the HMAC timestamp is missing or outside the replay window, or no secret matches.
 */
export type SignatureRejection = 'no-header' | 'malformed' | 'no-timestamp' | 'stale-timestamp' | 'mismatch';

/** Accepted by one mode, or refused with each configured mode's reason. */
export type VapiSignatureVerdict =
  | { valid: true; mode: VapiAuthMode }
  | { valid: false; reasons: Partial<Record<VapiAuthMode, SignatureRejection>> };

type ModeVerdict = true | SignatureRejection;

function verifyHmac(
  settings: VapiSignatureSettings,
  headers: RequestHeaders,
  rawBody: Buffer,
  nowMs: number,
): ModeVerdict {
  const { hmac } = settings;
  let signature = header(headers, hmac.signatureHeader);
  if (!signature) return 'no-header';
  if (hmac.signaturePrefix) {
    if (!signature.startsWith(hmac.signaturePrefix)) return 'malformed';
    signature = signature.slice(hmac.signaturePrefix.length);
  }
  const given = decodeSignature(signature, hmac.encoding);
  if (!given) return 'malformed';

  let timestamp = '';
  if (hmac.payloadTemplate.includes('{timestamp}')) {
    timestamp = header(headers, hmac.timestampHeader) ?? '';
    const timestampMs = parseTimestampMs(timestamp);
    if (timestampMs === undefined) return 'no-timestamp';
    // Replay protection: a captured request stops working once it leaves the window, in either direction.
    if (Math.abs(nowMs - timestampMs) > hmac.toleranceSeconds * 1000) return 'stale-timestamp';
  }
  const matches = settings.secrets.some((secret) =>
    sameDigest(given, signedDigest(hmac.algorithm, secret, hmac.payloadTemplate, timestamp, rawBody)),
  );
  return matches || 'mismatch';
}

function verifyLegacySecret(settings: VapiSignatureSettings, headers: RequestHeaders): ModeVerdict {
  const given = header(headers, settings.secretHeader);
  if (given === undefined) return 'no-header';
  return settings.secrets.some((secret) => sameSecret(given, secret)) || 'mismatch';
}

function verifyBearer(settings: VapiSignatureSettings, headers: RequestHeaders): ModeVerdict {
  const value = header(headers, settings.bearerHeader);
  if (!value) return 'no-header';
  const match = /^Bearer\s+(.+)$/i.exec(value);
  // A custom header may carry the bare token (VAPI's bearerPrefixEnabled=false); Authorization needs the prefix.
  const token = match
    ? match[1].trim()
    : settings.bearerHeader === 'authorization'
      ? undefined
      : value.trim();
  if (token === undefined) return 'malformed';
  return settings.secrets.some((secret) => sameSecret(token, secret)) || 'mismatch';
}

/** The community format: hex HMAC-SHA256 of the raw body, optionally prefixed `sha256=`. */
function verifyBodySignature(
  settings: VapiSignatureSettings,
  headers: RequestHeaders,
  rawBody: Buffer,
): ModeVerdict {
  const value = header(headers, settings.signatureHeader);
  if (!value) return 'no-header';
  const given = decodeSignature(value.replace(/^sha256=/i, ''), 'hex');
  if (!given) return 'malformed';
  const matches = settings.secrets.some((secret) =>
    sameDigest(given, createHmac('sha256', secret).update(rawBody).digest()),
  );
  return matches || 'mismatch';
}

function verifyMode(
  mode: VapiAuthMode,
  settings: VapiSignatureSettings,
  headers: RequestHeaders,
  rawBody: Buffer,
  nowMs: number,
): ModeVerdict {
  switch (mode) {
    case 'hmac':
      return verifyHmac(settings, headers, rawBody, nowMs);
    case 'secret':
      return verifyLegacySecret(settings, headers);
    case 'bearer':
      return verifyBearer(settings, headers);
    case 'signature':
      return verifyBodySignature(settings, headers, rawBody);
  }
}

/** Accepted when the request passes any one of the configured modes with any one of the configured secrets. */
export function checkVapiRequest(
  settings: VapiSignatureSettings,
  headers: RequestHeaders,
  rawBody: Buffer,
  nowMs: number,
): VapiSignatureVerdict {
  const reasons: Partial<Record<VapiAuthMode, SignatureRejection>> = {};
  for (const mode of settings.authModes) {
    const verdict = verifyMode(mode, settings, headers, rawBody, nowMs);
    if (verdict === true) return { valid: true, mode };
    reasons[mode] = verdict;
  }
  return { valid: false, reasons };
}

/** True when the request passes any one of the configured modes with any one of the configured secrets. */
export function verifyVapiRequest(
  settings: VapiSignatureSettings,
  headers: RequestHeaders,
  rawBody: Buffer,
  nowMs: number,
): boolean {
  return checkVapiRequest(settings, headers, rawBody, nowMs).valid;
}
