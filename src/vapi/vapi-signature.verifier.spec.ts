import { hmacHeaders, signedHeaders, SigningMode } from '../../test/fakes/vapi-sender/vapi-signing';
import {
  checkVapiRequest,
  parseTimestampMs,
  verifyVapiRequest,
  VapiSignatureSettings,
} from './vapi-signature.verifier';

const SECRET = 'whsec-primary-0123456789';
const NEXT_SECRET = 'whsec-rotated-9876543210';
const NOW = 1_764_000_000_000;
const body = Buffer.from('{"message":{"type":"status-update","status":"in-progress"}}');

function settings(overrides: Partial<VapiSignatureSettings> = {}): VapiSignatureSettings {
  return {
    authModes: ['hmac'],
    secrets: [SECRET],
    hmac: {
      algorithm: 'sha256',
      signatureHeader: 'x-signature',
      timestampHeader: 'x-timestamp',
      payloadTemplate: '{timestamp}.{body}',
      encoding: 'hex',
      signaturePrefix: '',
      toleranceSeconds: 300,
    },
    bearerHeader: 'authorization',
    secretHeader: 'x-vapi-secret',
    signatureHeader: 'x-vapi-signature',
    ...overrides,
  };
}

describe('verifyVapiRequest', () => {
  describe.each<SigningMode>(['hmac', 'secret', 'bearer', 'signature'])('in %s mode', (mode) => {
    const only = settings({ authModes: [mode] });
    const headersFor = (secret: string, payload: Buffer = body) =>
      mode === 'hmac'
        ? hmacHeaders(secret, payload, { timestamp: String(NOW) })
        : signedHeaders(mode, secret, payload);

    it('should accept a request signed with the configured secret', () => {
      expect(verifyVapiRequest(only, headersFor(SECRET), body, NOW)).toBe(true);
    });

    it('should reject a request signed with another secret', () => {
      expect(verifyVapiRequest(only, headersFor('some-other-secret-000'), body, NOW)).toBe(false);
    });

    it('should reject a request without its header', () => {
      expect(verifyVapiRequest(only, {}, body, NOW)).toBe(false);
    });

    it('should accept the next secret during a rotation', () => {
      const rotating = settings({ authModes: [mode], secrets: [SECRET, NEXT_SECRET] });
      expect(verifyVapiRequest(rotating, headersFor(NEXT_SECRET), body, NOW)).toBe(true);
    });
  });

  describe.each<SigningMode>(['hmac', 'signature'])('for body signatures (%s)', (mode) => {
    it('should reject a body changed by one byte', () => {
      const headers =
        mode === 'hmac'
          ? hmacHeaders(SECRET, body, { timestamp: String(NOW) })
          : signedHeaders(mode, SECRET, body);
      const tampered = Buffer.from(body);
      tampered[tampered.length - 3] ^= 0x01;
      expect(verifyVapiRequest(settings({ authModes: [mode] }), headers, tampered, NOW)).toBe(false);
    });
  });

  describe('hmac', () => {
    it.each([
      ['seconds', String(Math.floor(NOW / 1000))],
      ['milliseconds', String(NOW)],
    ])('should accept a timestamp in %s', (_unit, timestamp) => {
      expect(verifyVapiRequest(settings(), hmacHeaders(SECRET, body, { timestamp }), body, NOW)).toBe(true);
    });

    it('should reject a stale timestamp outside the window', () => {
      const timestamp = String(NOW - 301_000);
      expect(verifyVapiRequest(settings(), hmacHeaders(SECRET, body, { timestamp }), body, NOW)).toBe(false);
    });

    it('should reject a timestamp from the future outside the window', () => {
      const timestamp = String(NOW + 301_000);
      expect(verifyVapiRequest(settings(), hmacHeaders(SECRET, body, { timestamp }), body, NOW)).toBe(false);
    });

    it('should reject a signature whose timestamp header was changed', () => {
      const headers = hmacHeaders(SECRET, body, { timestamp: String(NOW) });
      headers['x-timestamp'] = String(NOW - 1000);
      expect(verifyVapiRequest(settings(), headers, body, NOW)).toBe(false);
    });

    it('should follow the configured algorithm, encoding, prefix, headers and template', () => {
      const custom = settings({
        hmac: {
          algorithm: 'sha512',
          signatureHeader: 'x-hub-signature',
          timestampHeader: 'x-sent-at',
          payloadTemplate: 'v1:{timestamp}:{body}',
          encoding: 'base64',
          signaturePrefix: 'sha512=',
          toleranceSeconds: 60,
        },
      });
      const headers = hmacHeaders(SECRET, body, {
        algorithm: 'sha512',
        encoding: 'base64',
        prefix: 'sha512=',
        template: 'v1:{timestamp}:{body}',
        timestamp: String(NOW),
        signatureHeader: 'x-hub-signature',
        timestampHeader: 'x-sent-at',
      });
      expect(verifyVapiRequest(custom, headers, body, NOW)).toBe(true);
      const withoutPrefix = {
        ...headers,
        'x-hub-signature': headers['x-hub-signature'].slice('sha512='.length),
      };
      expect(verifyVapiRequest(custom, withoutPrefix, body, NOW)).toBe(false);
    });

    it('should not require a timestamp when the template does not sign one', () => {
      const bodyOnly = settings({ hmac: { ...settings().hmac, payloadTemplate: '{body}' } });
      const headers = hmacHeaders(SECRET, body, { template: '{body}' });
      delete headers['x-timestamp'];
      expect(verifyVapiRequest(bodyOnly, headers, body, NOW)).toBe(true);
    });

    it('should reject a signature that is not valid hex', () => {
      const headers = { 'x-signature': 'zz' + 'a'.repeat(62), 'x-timestamp': String(NOW) };
      expect(verifyVapiRequest(settings(), headers, body, NOW)).toBe(false);
    });
  });

  describe('with several modes', () => {
    it('should accept a request that passes any one of them', () => {
      const both = settings({ authModes: ['hmac', 'secret'] });
      expect(verifyVapiRequest(both, { 'x-vapi-secret': SECRET }, body, NOW)).toBe(true);
      expect(verifyVapiRequest(both, hmacHeaders(SECRET, body, { timestamp: String(NOW) }), body, NOW)).toBe(
        true,
      );
      expect(verifyVapiRequest(both, { authorization: `Bearer ${SECRET}` }, body, NOW)).toBe(false);
    });
  });

  it('should refuse a bearer token without the Bearer prefix on the Authorization header', () => {
    expect(verifyVapiRequest(settings({ authModes: ['bearer'] }), { authorization: SECRET }, body, NOW)).toBe(
      false,
    );
  });

  it('should accept a bare token on a custom bearer header (VAPI bearerPrefixEnabled=false)', () => {
    const custom = settings({ authModes: ['bearer'], bearerHeader: 'x-api-token' });
    expect(verifyVapiRequest(custom, { 'x-api-token': SECRET }, body, NOW)).toBe(true);
  });

  it('should refuse repeated signature headers instead of picking one', () => {
    const only = settings({ authModes: ['secret'] });
    expect(verifyVapiRequest(only, { 'x-vapi-secret': [SECRET, SECRET] }, body, NOW)).toBe(false);
  });
});

describe('checkVapiRequest', () => {
  const hmacOnly = settings();
  const now = String(NOW);

  it('should name the mode that accepted a request', () => {
    const both = settings({ authModes: ['secret', 'hmac'] });
    const verdict = checkVapiRequest(both, hmacHeaders(SECRET, body, { timestamp: now }), body, NOW);
    expect(verdict).toEqual({ valid: true, mode: 'hmac' });
  });

  it.each<[string, Record<string, string>, string]>([
    ['no signature header', {}, 'no-header'],
    ['a signature that is not hex', { 'x-signature': 'not-hex!', 'x-timestamp': now }, 'malformed'],
    ['no timestamp', { 'x-signature': 'ab12' }, 'no-timestamp'],
    [
      'a timestamp outside the window',
      hmacHeaders(SECRET, body, { timestamp: String(NOW - 301_000) }),
      'stale-timestamp',
    ],
    ['another secret', hmacHeaders('some-other-secret-000', body, { timestamp: now }), 'mismatch'],
  ])('should refuse an HMAC request with %s, saying so', (_label, headers, reason) => {
    expect(checkVapiRequest(hmacOnly, headers, body, NOW)).toEqual({
      valid: false,
      reasons: { hmac: reason },
    });
  });

  it('should give the reason of every configured mode', () => {
    const all = settings({ authModes: ['hmac', 'secret', 'bearer', 'signature'] });
    const verdict = checkVapiRequest(all, { 'x-vapi-secret': 'wrong', authorization: SECRET }, body, NOW);
    expect(verdict).toEqual({
      valid: false,
      reasons: { hmac: 'no-header', secret: 'mismatch', bearer: 'malformed', signature: 'no-header' },
    });
  });
});

describe('parseTimestampMs', () => {
  it('should read seconds, milliseconds and ISO dates, and refuse anything else', () => {
    expect(parseTimestampMs('1764000000')).toBe(1_764_000_000_000);
    expect(parseTimestampMs('1764000000123')).toBe(1_764_000_000_123);
    expect(parseTimestampMs('2025-11-24T16:00:00.000Z')).toBe(Date.parse('2025-11-24T16:00:00.000Z'));
    expect(parseTimestampMs('yesterday')).toBeUndefined();
  });
});
