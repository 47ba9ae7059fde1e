import { Injectable, Logger } from '@nestjs/common';
import { PhoneVerifier } from '../twilio/phone-verifier';
import { PhoneVerificationError, PhoneVerificationErrorCode } from '../twilio/twilio.errors';
import { ToolCallContext } from '../vapi/vapi-tool.decorator';
import { CallerScope, CallerScopeView } from './caller-scope.service';
import { CallsRepository } from './calls.repository';
import { isIdentified, isVerificationLocked, MAX_VERIFICATION_ATTEMPTS } from './calls.types';
import { CallVoice } from './voice/call-voice';

/** Answers of Verify that mean "not this code": the caller hears the same for a wrong and an expired code. */
const NOT_THIS_CODE = new Set([
  PhoneVerificationErrorCode.NO_PENDING_VERIFICATION,
  PhoneVerificationErrorCode.INVALID_PARAMETER,
]);

/** A caller who may get or check a code now: their call, and the number on file the code goes to. */
interface Verifiable {
  callId: string;
  to: string;
  caller: CallerScopeView;
}

/**
 * One-time codes for the caller of a call (the sendVerificationCode and verifyCaller tools): texted only to
 * the recognised Contact's number on file, three tries per call, then locked for the rest of it.
 */
@Injectable()
export class CallerVerificationService {
  private readonly logger = new Logger(CallerVerificationService.name);

  constructor(
    private readonly scope: CallerScope,
    private readonly verifier: PhoneVerifier,
    private readonly calls: CallsRepository,
    private readonly voice: CallVoice,
  ) {}

  async sendCode(context: ToolCallContext): Promise<string> {
    const { verification } = this.voice.say;
    const verifiable = await this.verifiable(context);
    if (typeof verifiable === 'string') return verifiable;
    try {
      await this.verifier.sendCode(verifiable.to, this.voice.language);
    } catch (error) {
      if (error instanceof PhoneVerificationError) return this.voice.failure(error);
      throw error;
    }
    await this.calls.markCodeSent(verifiable.callId, Date.now());
    return verification.codeSent(verifiable.to.slice(-2));
  }

  async checkCode(context: ToolCallContext, code: string): Promise<string> {
    const { verification } = this.voice.say;
    const verifiable = await this.verifiable(context);
    if (typeof verifiable === 'string') return verifiable;
    const { callId, to, caller } = verifiable;
    if (!caller.verification.codeSentAt) return verification.sendCodeFirst;
    // The attempt is taken before the code is checked, so codes checked at once cannot pass the limit.
    const attempt = await this.calls.takeVerificationAttempt(callId, MAX_VERIFICATION_ATTEMPTS, Date.now());
    if (attempt === undefined) return verification.locked;
    let approved: boolean;
    try {
      approved = await this.verifier.checkCode(to, code);
    } catch (error) {
      if (!(error instanceof PhoneVerificationError)) throw error;
      if (error.code === PhoneVerificationErrorCode.TOO_MANY_CHECKS) {
        await this.calls.lockVerification(callId, MAX_VERIFICATION_ATTEMPTS, Date.now());
        this.logger.warn({ event: 'caller_verification_locked', callId }, 'verification locked');
        return verification.locked;
      }
      if (!NOT_THIS_CODE.has(error.code)) {
        // Nothing was checked (Verify unreachable, credentials refused): the attempt does not count.
        await this.calls.returnVerificationAttempt(callId, Date.now());
        return this.voice.failure(error);
      }
      approved = false;
    }
    if (approved) {
      await this.calls.markVerified(callId, Date.now());
      this.logger.log({ event: 'caller_verified', callId, attempt }, 'caller verified');
      return verification.verified;
    }
    // Repeated wrong codes on a recognised number are what a spoofer looks like: worth an operator's eye.
    if (attempt < MAX_VERIFICATION_ATTEMPTS) return verification.wrongCode;
    this.logger.warn({ event: 'caller_verification_locked', callId }, 'verification locked');
    return verification.wrongCodeLocked;
  }

  /** Who may be verified now, or what to tell the caller instead. Nobody else causes a Verify request. */
  private async verifiable(context: ToolCallContext): Promise<Verifiable | string> {
    const { verification } = this.voice.say;
    const { callId } = context;
    // Without a call id nothing could remember the verification between tool calls.
    if (!this.verifier.enabled || !callId) return verification.unavailable;
    const caller = await this.scope.for(context);
    if (!isIdentified(caller.identity)) return verification.onlyForRecognisedCallers;
    if (caller.assurance === 'verified') return verification.alreadyVerified;
    if (isVerificationLocked(caller.verification)) return verification.locked;
    const to = caller.identity.onFileNumber;
    if (!to) return verification.noNumberOnFile;
    return { callId, to, caller };
  }
}
