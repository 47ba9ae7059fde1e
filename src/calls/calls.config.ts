import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { loadEnvironment } from '../config/config.util';

export class CallsEnvironment {
  /** Human support line for transfers (E.164). */
  @IsOptional()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'TRANSFER_NUMBER must be an E.164 number such as +14155550100' })
  TRANSFER_NUMBER?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  RECONCILE_AFTER_SECONDS: number = 120;

  /** Budget for the caller lookup that personalises `assistant-request` (hard VAPI limit: 7.5 s). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(6000)
  CALLER_LOOKUP_BUDGET_MS: number = 1500;

  /** Budget for an inline write while the caller waits; after it the outbox finishes the write. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(15_000)
  TOOL_WRITE_BUDGET_MS: number = 5000;

  /** How often the reconciler looks for ended calls whose end-of-call report never came. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  RECONCILE_INTERVAL_SECONDS: number = 30;

  @IsIn(['true', 'false'])
  RECONCILER_ENABLED: string = 'true';

  /** Spoken in greetings ("thanks for calling …"), the assistant's prompt and SMS ("opened with …"). */
  @IsString()
  @Length(1, 80)
  COMPANY_NAME: string = 'our support team';

  // The transient assistant (used when VAPI_ASSISTANT_ID is unset). See VAPI's CreateAssistantDTO.
  @IsString()
  ASSISTANT_MODEL_PROVIDER: string = 'openai';

  @IsString()
  ASSISTANT_MODEL: string = 'gpt-4o-mini';

  @IsString()
  ASSISTANT_VOICE_PROVIDER: string = 'vapi';

  @IsString()
  ASSISTANT_VOICE_ID: string = 'Elliot';

  @IsString()
  ASSISTANT_TRANSCRIBER_PROVIDER: string = 'deepgram';

  @IsString()
  ASSISTANT_TRANSCRIBER_MODEL: string = 'nova-2';

  @IsString()
  ASSISTANT_LANGUAGE: string = 'en';

  /** VAPI credential (HMAC or bearer) that VAPI uses to sign requests to our tool and assistant server URLs. */
  @IsOptional()
  @IsString()
  VAPI_SERVER_CREDENTIAL_ID?: string;
}

export const callsConfig = registerAs('calls', () => {
  const env = loadEnvironment(CallsEnvironment, process.env);
  return {
    transferNumber: env.TRANSFER_NUMBER,
    reconcileAfterSeconds: env.RECONCILE_AFTER_SECONDS,
    callerLookupBudgetMs: env.CALLER_LOOKUP_BUDGET_MS,
    toolWriteBudgetMs: env.TOOL_WRITE_BUDGET_MS,
    reconcileIntervalSeconds: env.RECONCILE_INTERVAL_SECONDS,
    reconcilerEnabled: env.RECONCILER_ENABLED === 'true',
    companyName: env.COMPANY_NAME,
    assistant: {
      modelProvider: env.ASSISTANT_MODEL_PROVIDER,
      model: env.ASSISTANT_MODEL,
      voiceProvider: env.ASSISTANT_VOICE_PROVIDER,
      voiceId: env.ASSISTANT_VOICE_ID,
      transcriberProvider: env.ASSISTANT_TRANSCRIBER_PROVIDER,
      transcriberModel: env.ASSISTANT_TRANSCRIBER_MODEL,
      language: env.ASSISTANT_LANGUAGE,
      serverCredentialId: env.VAPI_SERVER_CREDENTIAL_ID,
    },
  };
});
export type CallsConfig = ReturnType<typeof callsConfig>;
