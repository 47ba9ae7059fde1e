import { registerAs } from '@nestjs/config';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { EnvFlag, EnvInt, loadEnvironment } from '../config/config.util';

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

  /** Spoken in greetings ("thanks for calling …"), the assistant's prompt and SMS ("opened with …"). */
  @IsString()
  @Length(1, 80)
  COMPANY_NAME: string = 'our support team';
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
    companyName: env.COMPANY_NAME,
  };
});
export type CallsConfig = ReturnType<typeof callsConfig>;
