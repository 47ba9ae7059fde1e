import { registerAs } from '@nestjs/config';
import { IsIn, IsISO31661Alpha2, IsOptional, IsUrl, Matches } from 'class-validator';
import { commaList, EnvFlag, EnvInt, EnvSecret, loadEnvironment } from './config.util';

const PROXY = String.raw`(?:[0-9A-Fa-f:.]+(?:\/\d{1,3})?|loopback|linklocal|uniquelocal)`;
const TRUSTED_PROXIES_PATTERN = new RegExp(String.raw`^\s*${PROXY}(?:\s*,\s*${PROXY})*\s*$`);

export class AppEnvironment {
  @EnvInt({ min: 0, max: 65535 })
  PORT: number = 3000;

  /**
   * When set, /metrics, /docs, /docs-json and /admin/* are served on this port only (404 on PORT), so they can
   * stay inside the cluster; /health answers on both.
   */
  @IsOptional()
  @EnvInt({ min: 1, max: 65535 })
  ADMIN_PORT?: number;

  /**
   * Proxies whose X-Forwarded-For is believed (comma list of IPs or CIDRs, or loopback, linklocal,
   * uniquelocal). Unset: nobody's, so the client address is the socket's and a forged header cannot pick a
   * fresh rate-limit bucket.
   */
  @IsOptional()
  @Matches(TRUSTED_PROXIES_PATTERN, {
    message:
      'TRUSTED_PROXIES must be a comma list of IP addresses, CIDRs, loopback, linklocal or uniquelocal',
  })
  TRUSTED_PROXIES?: string;

  /** Time a client has to send a whole request (headers and body); slower ones get 408 and are closed. */
  @EnvInt({ min: 1_000 })
  HTTP_REQUEST_TIMEOUT_MS: number = 30_000;

  /** Time a client has to send the request headers (at most HTTP_REQUEST_TIMEOUT_MS). */
  @EnvInt({ min: 1_000 })
  HTTP_HEADERS_TIMEOUT_MS: number = 10_000;

  /**
   * A socket with no traffic either way for this long is closed. Above the longest answer we take (the tool
   * deadline, at most 19 s), so a request waiting for its answer is never cut.
   */
  @EnvInt({ min: 20_000 })
  HTTP_IDLE_TIMEOUT_MS: number = 60_000;

  /** How long an idle keep-alive connection stays open; keep it above the load balancer's idle timeout. */
  @EnvInt({ min: 1_000 })
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number = 72_000;

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

/** Rules across the app's variables, checked at start-up with every module's (see env.validation.ts). */
export function appStartupProblems(env: AppEnvironment): string[] {
  return env.ADMIN_PORT !== undefined && env.ADMIN_PORT === env.PORT
    ? [
        'ADMIN_PORT: must differ from PORT, or the operator endpoints would be public again (adminPortDiffers)',
      ]
    : [];
}

export const appConfig = registerAs('app', () => {
  const env = loadEnvironment(AppEnvironment, process.env);
  return {
    port: env.PORT,
    adminPort: env.ADMIN_PORT,
    trustedProxies: commaList(env.TRUSTED_PROXIES),
    http: {
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      // Node refuses a headers timeout above the request timeout.
      headersTimeoutMs: Math.min(env.HTTP_HEADERS_TIMEOUT_MS, env.HTTP_REQUEST_TIMEOUT_MS),
      idleTimeoutMs: env.HTTP_IDLE_TIMEOUT_MS,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
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
