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
