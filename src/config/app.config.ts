import { registerAs } from '@nestjs/config';
import { IsIn, IsISO31661Alpha2, IsOptional, IsUrl, Matches } from 'class-validator';
import { commaList, EnvFlag, EnvInt, EnvSecret, loadEnvironment } from './config.util';

export class AppEnvironment {
  @EnvInt({ min: 0, max: 65535 })
  PORT: number = 3000;

  /** Externally visible base URL: tool server URLs and Twilio signature checks are built from it. */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  PUBLIC_URL: string = 'http://localhost:3000';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** After SIGTERM, how long readiness reports 503 while the server still serves (endpoint removal). */
  @EnvInt({ min: 0 })
  SHUTDOWN_DRAIN_DELAY_MS: number = 5_000;

  /** Hard limit for the whole shutdown (drain delay plus in-flight requests); then the process exits. */
  @EnvInt({ min: 0 })
  SHUTDOWN_GRACE_MS: number = 25_000;

  /** Which readiness checks turn /health/ready into 503 (all are always reported): see README. */
  @Matches(/^\s*(store|salesforce|delivery)?(\s*,\s*(store|salesforce|delivery))*\s*$/, {
    message: 'READINESS_GATES must be a comma list of store, salesforce, delivery',
  })
  READINESS_GATES: string = 'store';

  /** Protects operator endpoints; when unset they answer 401 to everybody. */
  @IsOptional()
  @EnvSecret(16)
  ADMIN_API_KEY?: string;

  @EnvInt({ min: 1 })
  OPERATOR_RATE_LIMIT_PER_MINUTE: number = 120;

  @EnvFlag()
  DOCS_ENABLED: boolean = true;

  /** Log the Salesforce and Twilio set-up checks of `npm run doctor` once at start-up (never blocking it). */
  @EnvFlag()
  STARTUP_CHECKS: boolean = true;

  /** Region of phone numbers written without a country code, in Salesforce and in what callers say. */
  @IsOptional()
  @IsISO31661Alpha2({ message: 'DEFAULT_PHONE_REGION must be a two-letter region such as US' })
  DEFAULT_PHONE_REGION?: string;

  /** The earlier name of DEFAULT_PHONE_REGION, still read so existing deployments keep their region. */
  @IsOptional()
  @IsISO31661Alpha2({ message: 'SALESFORCE_DEFAULT_PHONE_REGION must be a two-letter region such as US' })
  SALESFORCE_DEFAULT_PHONE_REGION?: string;
}

/** The phone region of numbers written without a country code, when DEFAULT_PHONE_REGION is not set. */
export const FALLBACK_PHONE_REGION = 'US';

export const appConfig = registerAs('app', () => {
  const env = loadEnvironment(AppEnvironment, process.env);
  return {
    port: env.PORT,
    publicUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
    logLevel: env.LOG_LEVEL,
    shutdownDrainDelayMs: env.SHUTDOWN_DRAIN_DELAY_MS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    readinessGates: new Set(commaList(env.READINESS_GATES)),
    adminApiKey: env.ADMIN_API_KEY,
    operatorRateLimitPerMinute: env.OPERATOR_RATE_LIMIT_PER_MINUTE,
    docsEnabled: env.DOCS_ENABLED,
    startupChecks: env.STARTUP_CHECKS,
    defaultPhoneRegion:
      env.DEFAULT_PHONE_REGION ?? env.SALESFORCE_DEFAULT_PHONE_REGION ?? FALLBACK_PHONE_REGION,
  };
});
export type AppConfig = ReturnType<typeof appConfig>;
