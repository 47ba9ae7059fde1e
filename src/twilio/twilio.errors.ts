import { IntegrationError } from '../common/integration.error';

export enum TwilioErrorCode {
  /** 429 / 20429: not processed, safe to retry after backoff. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** 21211, 21614, …: the destination cannot receive SMS; retrying will not help. */
  INVALID_RECIPIENT = 'INVALID_RECIPIENT',
  AUTH_FAILED = 'AUTH_FAILED',
  UNAVAILABLE = 'UNAVAILABLE',
  TIMEOUT = 'TIMEOUT',
  REJECTED = 'REJECTED',
  NOT_CONFIGURED = 'NOT_CONFIGURED',
}

export class TwilioError extends IntegrationError<TwilioErrorCode> {
  constructor(
    code: TwilioErrorCode,
    message: string,
    retryable: boolean,
    options?: { cause?: unknown; status?: number; twilioCode?: number },
  ) {
    super('twilio', code, message, retryable, options);
    this.name = 'TwilioError';
    this.twilioCode = options?.twilioCode;
  }

  readonly twilioCode?: number;
}

/** Failures of one-time codes (Twilio Verify v2, https://www.twilio.com/docs/verify/api). */
export enum PhoneVerificationErrorCode {
  /** 60200: a parameter was refused (a number that is not E.164, a code of the wrong shape). */
  INVALID_PARAMETER = 'INVALID_PARAMETER',
  /** 60205: the number cannot receive SMS (a landline). */
  NOT_SMS_CAPABLE = 'NOT_SMS_CAPABLE',
  /** 60203: five codes went to this number within ten minutes. */
  TOO_MANY_SENDS = 'TOO_MANY_SENDS',
  /** 60202: five wrong codes were checked against this verification. */
  TOO_MANY_CHECKS = 'TOO_MANY_CHECKS',
  /** 20404 on a check: nothing pending (never sent, expired after ten minutes, or already approved). */
  NO_PENDING_VERIFICATION = 'NO_PENDING_VERIFICATION',
  /** 20404 on a send: no such Verify service (TWILIO_VERIFY_SERVICE_SID). */
  MISCONFIGURED = 'MISCONFIGURED',
  RATE_LIMITED = 'RATE_LIMITED',
  AUTH_FAILED = 'AUTH_FAILED',
  UNAVAILABLE = 'UNAVAILABLE',
  TIMEOUT = 'TIMEOUT',
  REJECTED = 'REJECTED',
  NOT_CONFIGURED = 'NOT_CONFIGURED',
}

/** What the phone-verification port throws; `message` names the HTTP status and Twilio code only. */
export class PhoneVerificationError extends IntegrationError<PhoneVerificationErrorCode> {
  constructor(
    code: PhoneVerificationErrorCode,
    message: string,
    retryable: boolean,
    options?: { cause?: unknown; status?: number; twilioCode?: number },
  ) {
    super('twilio-verify', code, message, retryable, options);
    this.name = 'PhoneVerificationError';
    this.twilioCode = options?.twilioCode;
  }

  readonly twilioCode?: number;
}
