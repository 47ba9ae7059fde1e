import { ClassConstructor } from 'class-transformer';
import { CallsEnvironment } from '../calls/calls.config';
import { DeliveryEnvironment } from '../delivery/delivery.config';
import { SalesforceEnvironment } from '../salesforce/salesforce.config';
import { StoreEnvironment } from '../store/store.config';
import { TwilioEnvironment } from '../twilio/twilio.config';
import { VapiEnvironment, vapiStartupProblems } from '../vapi/vapi.config';
import { AppEnvironment, appStartupProblems } from './app.config';
import { ConfigValidationError, Environment, loadEnvironment } from './config.util';

/** Every module's env schema: start-up checks them all at once so one run lists every problem. */
export const ENVIRONMENT_SCHEMAS: ClassConstructor<object>[] = [
  AppEnvironment,
  VapiEnvironment,
  SalesforceEnvironment,
  TwilioEnvironment,
  StoreEnvironment,
  CallsEnvironment,
  DeliveryEnvironment,
];

/**
 * Validates `env` against every schema once, then the rules across variables that start-up enforces; the
 * modules' config factories then read the validated instances (see `loadEnvironment`). Throws one error
 * listing every problem.
 */
export function validateEnvironment(env: Environment): Environment {
  const problems: string[] = [];
  for (const schema of ENVIRONMENT_SCHEMAS) {
    try {
      loadEnvironment(schema, env);
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      problems.push(...error.problems);
    }
  }
  const vapi = validOrUndefined(VapiEnvironment, env);
  if (vapi) problems.push(...vapiStartupProblems(vapi));
  const calls = validOrUndefined(CallsEnvironment, env);
  if (vapi && calls) problems.push(...toolBudgetProblems(vapi, calls));
  const app = validOrUndefined(AppEnvironment, env);
  if (app) problems.push(...appStartupProblems(app));
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return env;
}

/**
 * An inline write gives up waiting at TOOL_WRITE_BUDGET_MS and the caller hears that the outbox will finish it;
 * a deadline at or before that would answer with the vaguer deadline sentence instead.
 */
function toolBudgetProblems(vapi: VapiEnvironment, calls: CallsEnvironment): string[] {
  return calls.TOOL_WRITE_BUDGET_MS < vapi.TOOL_DEADLINE_MS
    ? []
    : [
        'TOOL_WRITE_BUDGET_MS: must be below TOOL_DEADLINE_MS, so a slow write is answered with its follow-up (writeBudgetBelowDeadline)',
      ];
}

function validOrUndefined<T extends object>(schema: ClassConstructor<T>, env: Environment): T | undefined {
  try {
    return loadEnvironment(schema, env);
  } catch {
    return undefined;
  }
}

/** Checks the process environment against every schema; throws one error listing every problem. */
export function validateProcessEnvironment(): void {
  validateEnvironment(process.env);
}
