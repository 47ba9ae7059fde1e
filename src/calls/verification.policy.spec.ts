import { ConfigValidationError } from '../config/config.util';
import { PhoneVerifier } from '../twilio/phone-verifier';
import type { CallsConfig } from './calls.config';
import { CallerAssurance } from './calls.types';
import { ToolName } from './tools/tool-catalogue';
import { VerificationPolicy } from './verification.policy';
import { CallVoice } from './voice/call-voice';

class StubVerifier extends PhoneVerifier {
  constructor(readonly enabled: boolean) {
    super();
  }
  sendCode(): Promise<void> {
    return Promise.resolve();
  }
  checkCode(): Promise<boolean> {
    return Promise.resolve(false);
  }
  checkSetup(): Promise<[]> {
    return Promise.resolve([]);
  }
}

const voice = new CallVoice();
const { verification } = voice.say;
const policy = (verifyBefore: ToolName[] | undefined, verifyEnabled = true) =>
  new VerificationPolicy({ verifyBefore } as CallsConfig, new StubVerifier(verifyEnabled), voice);
const caller = (assurance: CallerAssurance, attempts = 0) => ({
  assurance,
  verification: assurance === 'verified' ? { attempts, verifiedAt: new Date() } : { attempts },
});
const guarded = (subject: VerificationPolicy) =>
  (['createSalesforceCase', 'lookupCase', 'addCaseComment', 'updateContact'] as const).filter(
    (tool) => subject.refusal(tool, caller('recognised')) !== undefined,
  );

describe('VerificationPolicy', () => {
  it('should guard contact changes by default when Twilio Verify is configured', () => {
    expect(guarded(policy(undefined))).toEqual(['updateContact']);
  });

  it('should guard the tools VERIFY_BEFORE names, and none with an empty list', () => {
    expect(guarded(policy(['lookupCase', 'updateContact']))).toEqual(['lookupCase', 'updateContact']);
    expect(guarded(policy([]))).toEqual([]);
  });

  it('should guard nothing without Twilio Verify, and refuse to start when VERIFY_BEFORE names tools', () => {
    expect(guarded(policy(undefined, false))).toEqual([]);
    expect(guarded(policy([], false))).toEqual([]);
    expect(() => policy(['updateContact'], false)).toThrow(ConfigValidationError);
  });

  it('should offer a code to a recognised caller, nothing to a verified one, and a colleague to the rest', () => {
    const subject = policy(['updateContact']);

    expect(subject.refusal('updateContact', caller('recognised'))).toBe(verification.required);
    expect(subject.refusal('updateContact', caller('verified'))).toBeUndefined();
    expect(subject.refusal('updateContact', caller('recognised', 3))).toBe(verification.locked);
    expect(subject.refusal('updateContact', caller('unknown'))).toBe(verification.requiredButUnverifiable);
  });
});
