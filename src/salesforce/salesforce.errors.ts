import { IntegrationError } from '../common/integration.error';

export enum SalesforceErrorCode {
  /** Credentials refused by the token endpoint (wrong secret, key, user, or app not approved). */
  AUTH_FAILED = 'AUTH_FAILED',
  /** `INVALID_SESSION_ID` that persisted after one refresh-and-replay. */
  SESSION_EXPIRED = 'SESSION_EXPIRED',
  /** `REQUEST_LIMIT_EXCEEDED` or our own budget refusing a request. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** 5xx, connection refused or reset. */
  UNAVAILABLE = 'UNAVAILABLE',
  /** No response within the request timeout: the write may or may not have happened. */
  TIMEOUT = 'TIMEOUT',
  NOT_FOUND = 'NOT_FOUND',
  /** The record was refused: required field, bad picklist value, field too long, … */
  VALIDATION = 'VALIDATION',
  /**
   * A duplicate rule of the org refused the save (`DUPLICATES_DETECTED`): the record would match another one,
   * e.g. a Contact whose new email another Contact already has.
   */
  DUPLICATES_DETECTED = 'DUPLICATES_DETECTED',
  /** The org lacks an object or field we need, or the user cannot write it. */
  MISCONFIGURED = 'MISCONFIGURED',
  UNKNOWN = 'UNKNOWN',
}

export class SalesforceError extends IntegrationError<SalesforceErrorCode> {
  constructor(
    code: SalesforceErrorCode,
    message: string,
    retryable: boolean,
    options?: { cause?: unknown; status?: number; salesforceCode?: string; fix?: string },
  ) {
    super('salesforce', code, message, retryable, options);
    this.name = 'SalesforceError';
    this.salesforceCode = options?.salesforceCode;
    this.fix = options?.fix;
  }

  /** What to change, naming variables (never values), when the error says the configuration is wrong. */
  readonly fix?: string;

  /** Salesforce's own `errorCode` (e.g. `FIELD_CUSTOM_VALIDATION_EXCEPTION`) when it sent one. */
  readonly salesforceCode?: string;
}
