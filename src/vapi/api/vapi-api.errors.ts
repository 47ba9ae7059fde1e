import { IntegrationError } from '../../common/integration.error';

export enum VapiApiErrorCode {
  /** 401 / 403: the private API key is missing, wrong or a public key. */
  AUTH_FAILED = 'AUTH_FAILED',
  /** 429: the organisation's (undocumented) API rate limit. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** 5xx, connection refused or reset. */
  UNAVAILABLE = 'UNAVAILABLE',
  TIMEOUT = 'TIMEOUT',
  NOT_FOUND = 'NOT_FOUND',
  /** Any other 4xx: the request itself is wrong (bad id format, invalid DTO). */
  REJECTED = 'REJECTED',
  /** A 2xx whose body is not what the API documents. */
  UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE',
  /** VAPI_API_KEY is not set. */
  NOT_CONFIGURED = 'NOT_CONFIGURED',
}

export class VapiApiError extends IntegrationError<VapiApiErrorCode> {
  constructor(
    code: VapiApiErrorCode,
    message: string,
    retryable: boolean,
    options?: { cause?: unknown; status?: number },
  ) {
    super('vapi-api', code, message, retryable, options);
    this.name = 'VapiApiError';
  }
}
