import { SalesforceError, SalesforceErrorCode } from '../../salesforce/salesforce.errors';
import {
  PhoneVerificationError,
  PhoneVerificationErrorCode,
  TwilioError,
  TwilioErrorCode,
} from '../../twilio/twilio.errors';
import { VapiErrorCode } from '../../vapi/vapi.errors';
import { CallVoice } from './call-voice';
import { LOCALES } from './locales';

const voice = new CallVoice();
const generic = voice.frontDoor(VapiErrorCode.INTERNAL);

describe('CallVoice', () => {
  it.each(Object.values(SalesforceErrorCode))(
    'should speak a sentence of its own for Salesforce %s',
    (code) => {
      const sentence = voice.failure(new SalesforceError(code, 'internal-detail-xyz', false));
      expect(sentence).toMatch(/^[^\n]{10,}$/);
      expect(sentence).not.toBe(generic);
      expect(sentence).not.toContain('internal-detail-xyz');
    },
  );

  it.each(Object.values(TwilioErrorCode))('should speak a sentence of its own for Twilio %s', (code) => {
    const sentence = voice.failure(new TwilioError(code, 'internal-detail-xyz', false));
    expect(sentence).toMatch(/^[^\n]{10,}$/);
    expect(sentence).not.toBe(generic);
  });

  it.each(Object.values(PhoneVerificationErrorCode))(
    'should speak a sentence of its own for phone verification %s',
    (code) => {
      const sentence = voice.failure(new PhoneVerificationError(code, 'internal-detail-xyz', false));
      expect(sentence).toMatch(/^[^\n]{10,}$/);
      expect(sentence).not.toBe(generic);
    },
  );

  it('should say a duplicate rule refused a write, and the tool’s own refusal otherwise', () => {
    expect(voice.refusal(SalesforceErrorCode.DUPLICATES_DETECTED, 'refused')).toMatch(/possible duplicate/);
    expect(voice.refusal(SalesforceErrorCode.VALIDATION, 'refused')).toBe('refused');
    expect(voice.refusal(undefined, 'refused')).toBe('refused');
  });

  it('should speak the generic apology for an unexpected error, without its message', () => {
    expect(voice.failure(new TypeError('cannot read x of undefined'))).toBe(generic);
    expect(generic).not.toContain('undefined');
  });

  it("should ask the tool's own question first, then the argument's, then a generic one", () => {
    expect(voice.question('addCaseComment', 'caseNumber')).toBe(
      'Which case is this about? Could you read me the case number?',
    );
    expect(voice.question('createSalesforceCase', 'accountNumber')).toBe(
      'Could you tell me your account number?',
    );
    expect(voice.question('anyTool', 'postalCode')).toBe('Could you tell me the postal code?');
  });

  it('should read case numbers digit by digit', () => {
    expect(voice.say.cases.opened('00001027', 'billing')).toBe(
      "I've opened case 0 0 0 0 1 0 2 7 for your billing issue.",
    );
  });
});

describe('CallVoice in the language of ASSISTANT_LANGUAGE', () => {
  it('should speak failures, questions and tool answers from the chosen table, with its voice', () => {
    const korean = new CallVoice({ language: 'ko' });

    expect(korean.failure(new SalesforceError(SalesforceErrorCode.UNAVAILABLE, 'detail', true))).toBe(
      LOCALES.ko.sentences.failures.salesforce.UNAVAILABLE,
    );
    expect(korean.question('lookupCase', 'caseNumber')).toBe('접수 번호를 한 자리씩 읽어 주시겠어요?');
    expect(korean.say.cases.opened('00001027', 'billing')).toContain('공 공 공 공 일 공 이 칠');
    expect(korean.speech.transcriber.language).toBe('ko');
  });

  it('should speak English by default', () => {
    expect(new CallVoice().say).toBe(LOCALES.en.sentences);
  });
});
