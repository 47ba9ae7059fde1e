import { AssistantPlanBuilder } from '../calls/assistant-plan.builder';
import type { CallsConfig } from '../calls/calls.config';
import { callToolDefinitions } from '../calls/tools';
import { CallVoice } from '../calls/voice/call-voice';
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

/**
 * What VAPI must hold for this configuration (provision makes it, the doctor checks it), or what the
 * configuration lacks for VAPI to be wired at all, as the variables to set and why.
 */
export function wiringFromConfig({ app, vapi, twilio, calls }: DeploymentConfig): VapiWiring | string[] {
  const { accountSid, authToken, fromNumber } = twilio;
  if (!accountSid || !authToken || !fromNumber) {
    return [
      ...(!accountSid || !authToken
        ? ['TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (VAPI imports the number with them)']
        : []),
      ...(!fromNumber ? ['TWILIO_FROM_NUMBER (the number callers dial)'] : []),
    ];
  }
  const voice = new CallVoice();
  return new VapiWiring({
    publicUrl: app.publicUrl,
    vapi,
    twilio: { accountSid, authToken, number: fromNumber },
    transferNumber: calls.transferNumber,
    fallbackMessage: voice.say.transfer.fallback,
    savedScript: new AssistantPlanBuilder(calls, voice).savedScript(),
    tools: callToolDefinitions(),
  });
}
