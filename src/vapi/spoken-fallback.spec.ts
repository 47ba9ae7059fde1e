import { SalesforceError, SalesforceErrorCode } from '../salesforce/salesforce.errors';
import { TwilioError, TwilioErrorCode } from '../twilio/twilio.errors';
import { spokenFallbackFor, spokenSentence } from './spoken-fallback';
import { VapiErrorCode } from './vapi.errors';

const generic = spokenSentence(VapiErrorCode.INTERNAL);

describe('spokenFallbackFor', () => {
  it.each(Object.values(SalesforceErrorCode))(
    'should speak a sentence of its own for Salesforce %s',
    (code) => {
      const sentence = spokenFallbackFor(new SalesforceError(code, 'internal-detail-xyz', false));
      expect(sentence).toMatch(/^[^\n]{10,}$/);
      expect(sentence).not.toBe(generic);
      expect(sentence).not.toContain('internal-detail-xyz');
    },
  );

  it.each(Object.values(TwilioErrorCode))('should speak a sentence of its own for Twilio %s', (code) => {
    const sentence = spokenFallbackFor(new TwilioError(code, 'internal-detail-xyz', false));
    expect(sentence).toMatch(/^[^\n]{10,}$/);
    expect(sentence).not.toBe(generic);
  });

  it('should speak the generic apology for an unexpected error, without its message', () => {
    expect(spokenFallbackFor(new TypeError('cannot read x of undefined'))).toBe(generic);
    expect(generic).not.toContain('undefined');
  });
});
