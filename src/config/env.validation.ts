import { ClassConstructor } from 'class-transformer';
import { CallsEnvironment } from '../calls/calls.config';
import { DeliveryEnvironment } from '../delivery/delivery.config';
import { SalesforceEnvironment } from '../salesforce/salesforce.config';
import { StoreEnvironment } from '../store/store.config';
import { TwilioEnvironment } from '../twilio/twilio.config';
import { VapiEnvironment } from '../vapi/vapi.config';
import { AppEnvironment } from './app.config';
import { checkEnvironment, ConfigValidationError, Environment } from './config.util';

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

export function validateEnvironment(env: Environment): Environment {
  const problems = ENVIRONMENT_SCHEMAS.flatMap((schema) => checkEnvironment(schema, env));
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return env;
}

/** Checks the process environment against every schema; throws one error listing every problem. */
export function validateProcessEnvironment(): void {
  validateEnvironment(process.env);
}
