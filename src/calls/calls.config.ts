import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
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
}

export const callsConfig = registerAs('calls', () => {
  const env = loadEnvironment(CallsEnvironment, process.env);
  return {
    transferNumber: env.TRANSFER_NUMBER,
    reconcileAfterSeconds: env.RECONCILE_AFTER_SECONDS,
    callerLookupBudgetMs: env.CALLER_LOOKUP_BUDGET_MS,
    toolWriteBudgetMs: env.TOOL_WRITE_BUDGET_MS,
  };
});
export type CallsConfig = ReturnType<typeof callsConfig>;
