import { getExpectedBodyHash, getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { verifyTwilioSignature, TwilioSignatureInput } from './twilio-signature.guard';

// Twilio's published test vector (twilio-php docs, "Validate Incoming Requests"); see the reference doc §5.1.
const VECTOR = {
  authToken: '12345',
  publicUrl: 'https://mycompany.com',
  requestUrl: '/myapp.php?foo=1&bar=2',
  params: {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+14158675309',
    Digits: '1234',
    From: '+14158675309',
    To: '+18005551212',
  },
  signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
};

const vectorInput = (overrides: Partial<TwilioSignatureInput> = {}): TwilioSignatureInput => ({
  authToken: VECTOR.authToken,
  publicUrl: VECTOR.publicUrl,
  requestUrl: VECTOR.requestUrl,
  signature: VECTOR.signature,
  body: { ...VECTOR.params },
  rawBody: undefined,
  ...overrides,
});

describe('verifyTwilioSignature', () => {
  it("should accept Twilio's official test vector", () => {
    expect(verifyTwilioSignature(vectorInput())).toBe('valid');
  });

  it('should reject a wrong signature', () => {
    expect(verifyTwilioSignature(vectorInput({ signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B9=' }))).toBe(
      'invalid-signature',
    );
  });

  it('should reject a request whose parameters were changed after signing', () => {
    const body = { ...VECTOR.params, Digits: '9999' };
    expect(verifyTwilioSignature(vectorInput({ body }))).toBe('invalid-signature');
  });

  it('should reject a request with an added parameter', () => {
    const body = { ...VECTOR.params, Extra: 'x' };
    expect(verifyTwilioSignature(vectorInput({ body }))).toBe('invalid-signature');
  });

  it('should reject a request whose query string was changed', () => {
    expect(verifyTwilioSignature(vectorInput({ requestUrl: '/myapp.php?foo=1&bar=3' }))).toBe(
      'invalid-signature',
    );
  });

  it('should reject a signature made for another public URL (the Host header is not trusted)', () => {
    expect(verifyTwilioSignature(vectorInput({ publicUrl: 'https://internal-service:3000' }))).toBe(
      'invalid-signature',
    );
  });

  it('should reject a request without the signature header', () => {
    expect(verifyTwilioSignature(vectorInput({ signature: undefined }))).toBe('missing-signature');
    expect(verifyTwilioSignature(vectorInput({ signature: '' }))).toBe('missing-signature');
    expect(verifyTwilioSignature(vectorInput({ signature: [VECTOR.signature, VECTOR.signature] }))).toBe(
      'missing-signature',
    );
  });

  it('should reject everything when no auth token is configured', () => {
    expect(verifyTwilioSignature(vectorInput({ authToken: undefined }))).toBe('not-configured');
  });

  describe('JSON callbacks signed with bodySHA256', () => {
    const authToken = 'json-callback-token';
    const rawBody = '{"MessageSid":"SM0123","MessageStatus":"delivered"}';
    const publicUrl = 'https://voice.example.com';
    const requestUrl = `/twilio/events?bodySHA256=${getExpectedBodyHash(rawBody)}`;
    const signature = getExpectedTwilioSignature(authToken, `${publicUrl}${requestUrl}`, {});
    const jsonInput = (overrides: Partial<TwilioSignatureInput> = {}): TwilioSignatureInput => ({
      authToken,
      publicUrl,
      requestUrl,
      signature,
      body: JSON.parse(rawBody),
      rawBody: Buffer.from(rawBody),
      ...overrides,
    });

    it('should accept a JSON body whose hash matches the signed URL', () => {
      expect(verifyTwilioSignature(jsonInput())).toBe('valid');
    });

    it('should reject a JSON body changed after signing', () => {
      const changed = rawBody.replace('delivered', 'failed');
      expect(verifyTwilioSignature(jsonInput({ rawBody: Buffer.from(changed) }))).toBe('invalid-signature');
    });

    it('should reject a JSON callback when the raw body was not kept', () => {
      expect(verifyTwilioSignature(jsonInput({ rawBody: undefined }))).toBe('missing-raw-body');
    });
  });
});
