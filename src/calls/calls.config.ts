import { registerAs } from '@nestjs/config';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { commaList, EnvFlag, EnvInt, loadEnvironment } from '../config/config.util';
import { GUARDABLE_TOOLS, ToolName } from './tools/tool-catalogue';
import { ASSISTANT_LANGUAGES, AssistantLanguage, LOCALES } from './voice/locales';

const TOOL_LIST = new RegExp(
  `^\\s*(none|(${GUARDABLE_TOOLS.join('|')})(\\s*,\\s*(${GUARDABLE_TOOLS.join('|')}))*)\\s*$`,
);

export class CallsEnvironment {
  /** Human support line for transfers (E.164). */
  @IsOptional()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'TRANSFER_NUMBER must be an E.164 number such as +14155550100' })
  TRANSFER_NUMBER?: string;

  @EnvInt({ min: 1, max: 86_400 })
  RECONCILE_AFTER_SECONDS: number = 120;

  /** Budget for the caller lookup that personalises `assistant-request` (hard VAPI limit: 7.5 s). */
  @EnvInt({ min: 100, max: 6000 })
  CALLER_LOOKUP_BUDGET_MS: number = 1500;

  /** Budget for an inline write while the caller waits; after it the outbox finishes the write. */
  @EnvInt({ min: 100, max: 15_000 })
  TOOL_WRITE_BUDGET_MS: number = 5000;

  /** How often the reconciler looks for ended calls whose end-of-call report never came. */
  @EnvInt({ min: 1, max: 3600 })
  RECONCILE_INTERVAL_SECONDS: number = 30;

  @EnvFlag()
  RECONCILER_ENABLED: boolean = true;

  /**
   * Spoken in greetings ("thanks for calling …"), the assistant's prompt and SMS ("opened with …"). Unset: the
   * language's own words for "our support team".
   */
  @IsOptional()
  @IsString()
  @Length(1, 80)
  COMPANY_NAME?: string;

  /**
   * Tools that need a caller verified by a one-time code (comma list, or `none`). Default: updateContact when
   * Twilio Verify is configured; without Verify nothing can be required.
   */
  @IsOptional()
  @Matches(TOOL_LIST, {
    message: `VERIFY_BEFORE must be none or a comma list of ${GUARDABLE_TOOLS.join(', ')}`,
  })
  VERIFY_BEFORE?: string;

  /**
   * The language the assistant speaks and hears: its sentence tables (prompt, greetings, tool answers, SMS) and,
   * unless ASSISTANT_VOICE_* / ASSISTANT_TRANSCRIBER_* say otherwise, its voice and transcriber.
   */
  @IsIn(ASSISTANT_LANGUAGES, {
    message: `ASSISTANT_LANGUAGE must be one of ${ASSISTANT_LANGUAGES.join(', ')}`,
  })
  ASSISTANT_LANGUAGE: AssistantLanguage = 'en';

  /** Mask card numbers, their security codes and US SSNs in what is written to Salesforce. */
  @EnvFlag()
  MASK_SENSITIVE_DATA: boolean = true;
}

export const callsConfig = registerAs('calls', () => {
  const env = loadEnvironment(CallsEnvironment, process.env);
  return {
    transferNumber: env.TRANSFER_NUMBER,
    reconcileAfterSeconds: env.RECONCILE_AFTER_SECONDS,
    callerLookupBudgetMs: env.CALLER_LOOKUP_BUDGET_MS,
    toolWriteBudgetMs: env.TOOL_WRITE_BUDGET_MS,
    reconcileIntervalSeconds: env.RECONCILE_INTERVAL_SECONDS,
    reconcilerEnabled: env.RECONCILER_ENABLED,
    companyName: env.COMPANY_NAME ?? LOCALES[env.ASSISTANT_LANGUAGE].sentences.defaultCompanyName,
    /** Undefined: the default (updateContact when Verify is configured). */
    verifyBefore:
      env.VERIFY_BEFORE === undefined
        ? undefined
        : (commaList(env.VERIFY_BEFORE).filter((name) => name !== 'none') as ToolName[]),
    maskSensitiveData: env.MASK_SENSITIVE_DATA,
    language: env.ASSISTANT_LANGUAGE,
  };
});
export type CallsConfig = ReturnType<typeof callsConfig>;
