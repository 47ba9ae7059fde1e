import { registerAs } from '@nestjs/config';
import { IsIn, IsOptional, IsUrl, Matches, ValidateIf } from 'class-validator';
import { EnvFlag, EnvInt, EnvSecret, loadEnvironment } from '../config/config.util';

const smsWanted = (env: TwilioEnvironment): boolean => env.SMS_CONFIRMATIONS === true;
/** The account is needed for SMS, for Verify, and whenever part of it is given. */
const accountWanted = (env: TwilioEnvironment): boolean =>
  smsWanted(env) || env.TWILIO_ACCOUNT_SID !== undefined || env.TWILIO_VERIFY_SERVICE_SID !== undefined;

export class TwilioEnvironment {
  @ValidateIf(accountWanted)
  @Matches(/^AC[0-9a-fA-F]{32}$/, { message: 'TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits' })
  TWILIO_ACCOUNT_SID?: string;

  @ValidateIf(accountWanted)
  @EnvSecret()
  TWILIO_AUTH_TOKEN?: string;

  @ValidateIf((env: TwilioEnvironment) => smsWanted(env) && !env.TWILIO_MESSAGING_SERVICE_SID)
  @Matches(/^\+[1-9]\d{6,14}$/, {
    message: 'TWILIO_FROM_NUMBER (E.164) or TWILIO_MESSAGING_SERVICE_SID is required for SMS',
  })
  TWILIO_FROM_NUMBER?: string;

  @IsOptional()
  @Matches(/^MG[0-9a-fA-F]{32}$/, {
    message: 'TWILIO_MESSAGING_SERVICE_SID must be MG followed by 32 hex digits',
  })
  TWILIO_MESSAGING_SERVICE_SID?: string;

  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  TWILIO_API_URL: string = 'https://api.twilio.com';

  /** Default: on when Twilio credentials are configured. */
  @IsOptional()
  @EnvFlag()
  SMS_CONFIRMATIONS?: boolean;

  /**
   * Whether outbound SMS ask Twilio for status callbacks to `{PUBLIC_URL}/twilio/status`. `auto`: only when
   * PUBLIC_URL is https, since Twilio cannot reach a local http URL and would log an error per message.
   */
  @IsIn(['auto', 'true', 'false'])
  TWILIO_STATUS_CALLBACKS: string = 'auto';

  /** Twilio Verify service (one-time codes by SMS) for verifying callers; unset: no verification. */
  @IsOptional()
  @Matches(/^VA[0-9a-fA-F]{32}$/, {
    message: 'TWILIO_VERIFY_SERVICE_SID must be VA followed by 32 hex digits',
  })
  TWILIO_VERIFY_SERVICE_SID?: string;

  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  TWILIO_VERIFY_API_URL: string = 'https://verify.twilio.com';

  /** Per-request timeout of the Messages and Verify API calls, in milliseconds. */
  @EnvInt({ min: 100, max: 60_000 })
  TWILIO_TIMEOUT_MS: number = 10_000;
}

/**
 * Messaging Services live on their own host (`messaging.twilio.com`, or `messaging.<edge>.twilio.com` beside
 * `api.<edge>.twilio.com`); any other base URL (a local fake) serves both.
 */
export function messagingApiUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (!url.hostname.startsWith('api.') || !url.hostname.endsWith('twilio.com')) return apiUrl;
  url.hostname = `messaging.${url.hostname.slice('api.'.length)}`;
  return url.origin;
}

export const twilioConfig = registerAs('twilio', () => {
  const env = loadEnvironment(TwilioEnvironment, process.env);
  const configured = Boolean(env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN);
  const apiUrl = env.TWILIO_API_URL.replace(/\/+$/, '');
  return {
    accountSid: env.TWILIO_ACCOUNT_SID,
    authToken: env.TWILIO_AUTH_TOKEN,
    fromNumber: env.TWILIO_FROM_NUMBER,
    messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
    apiUrl,
    messagingApiUrl: messagingApiUrl(apiUrl),
    configured,
    smsConfirmations: env.SMS_CONFIRMATIONS ?? configured,
    statusCallbacks: env.TWILIO_STATUS_CALLBACKS as 'auto' | 'true' | 'false',
    timeoutMs: env.TWILIO_TIMEOUT_MS,
    verifyServiceSid: configured ? env.TWILIO_VERIFY_SERVICE_SID : undefined,
    verifyApiUrl: env.TWILIO_VERIFY_API_URL.replace(/\/+$/, ''),
  };
});
export type TwilioConfig = ReturnType<typeof twilioConfig>;
