import { AssistantPlanBuilder } from '../calls/assistant-plan.builder';
import type { CallsConfig } from '../calls/calls.config';
import { callToolDefinitions } from '../calls/tools';
import { VerificationPolicy } from '../calls/verification.policy';
import { CallVoice } from '../calls/voice/call-voice';
import { createPhoneVerifier } from '../twilio/twilio.module';
import type { AppConfig } from '../config/app.config';
import type { TwilioConfig } from '../twilio/twilio.config';
import type { VapiConfig } from '../vapi/vapi.config';
import { VapiWiring } from './vapi-wiring';

export interface DeploymentConfig {
  app: AppConfig;
  vapi: VapiConfig;
  twilio: TwilioConfig;
  calls: CallsConfig;
}

/** A variable the VAPI side cannot be wired without, and why. */
export interface MissingSetting {
  variable: string;
  why: string;
}

/**
 * What VAPI must hold for this configuration (provision makes it, the doctor checks it), or what is missing.
 * `knowledge`: Salesforce Knowledge is configured, so the saved assistant gets searchKnowledge.
 */
export function wiringFromConfig(
  { app, vapi, twilio, calls }: DeploymentConfig,
  { knowledge = false }: { knowledge?: boolean } = {},
): VapiWiring | MissingSetting[] {
  const { accountSid, authToken, fromNumber } = twilio;
  if (!accountSid || !authToken || !fromNumber) {
    return [
      ...(!accountSid || !authToken
        ? [{ variable: 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN', why: 'VAPI imports the number with them' }]
        : []),
      ...(!fromNumber ? [{ variable: 'TWILIO_FROM_NUMBER', why: 'the number callers dial' }] : []),
    ];
  }
  const voice = new CallVoice(calls);
  return new VapiWiring({
    publicUrl: app.publicUrl,
    vapi,
    twilio: { accountSid, authToken, number: fromNumber },
    transferNumber: calls.transferNumber,
    fallbackMessage: voice.say.transfer.fallback,
    savedScript: new AssistantPlanBuilder(
      calls,
      voice,
      new VerificationPolicy(calls, createPhoneVerifier(twilio), voice),
    ).savedScript({ knowledge }),
    tools: callToolDefinitions({ knowledge }),
  });
}
