import { Inject, Injectable } from '@nestjs/common';
import { ConfigValidationError } from '../config/config.util';
import { PhoneVerifier } from '../twilio/phone-verifier';
import { callsConfig, CallsConfig } from './calls.config';
import { CallerAssurance, CallVerification, isVerificationLocked } from './calls.types';
import { ToolName } from './tools/tool-catalogue';
import { CallVoice } from './voice/call-voice';

/** What VERIFY_BEFORE means when it is not set and Twilio Verify is configured. */
export const DEFAULT_VERIFY_BEFORE: readonly ToolName[] = ['updateContact'];

/**
 * Which tools need a caller verified by a one-time code, and what a caller hears who is not. Without Twilio
 * Verify nothing can be verified, so nothing is required (README, "Threat model"); naming tools in
 * VERIFY_BEFORE then is a configuration error rather than tools nobody can use.
 */
@Injectable()
export class VerificationPolicy {
  private readonly guarded: ReadonlySet<ToolName>;

  constructor(
    @Inject(callsConfig.KEY) config: CallsConfig,
    private readonly verifier: PhoneVerifier,
    private readonly voice: CallVoice,
  ) {
    const named = config.verifyBefore ?? [];
    if (!verifier.enabled && named.length > 0) {
      throw new ConfigValidationError([
        'VERIFY_BEFORE: needs Twilio Verify (TWILIO_VERIFY_SERVICE_SID) to verify callers, or none (requiresVerify)',
      ]);
    }
    this.guarded = new Set(verifier.enabled ? (config.verifyBefore ?? DEFAULT_VERIFY_BEFORE) : []);
  }

  /** Callers can be verified on this line. */
  get available(): boolean {
    return this.verifier.enabled;
  }

  /** Whether `tool` needs a verified caller on this line. */
  guards(tool: ToolName): boolean {
    return this.guarded.has(tool);
  }

  /** The sentence that stops `tool` for this caller, or undefined when it may go ahead. */
  refusal(
    tool: ToolName,
    caller: { assurance: CallerAssurance; verification: CallVerification },
  ): string | undefined {
    if (!this.guards(tool) || caller.assurance === 'verified') return undefined;
    const { verification } = this.voice.say;
    if (caller.assurance === 'unknown') return verification.requiredButUnverifiable;
    return isVerificationLocked(caller.verification) ? verification.locked : verification.required;
  }
}
