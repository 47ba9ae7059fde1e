import { IntegrationError } from '../common/integration.error';
import { SalesforceError, SalesforceErrorCode } from '../salesforce/salesforce.errors';
import { TwilioError, TwilioErrorCode } from '../twilio/twilio.errors';

/**
 * How the outbox treats a failed attempt.
 * - `wait`: an outage or limit — back off and keep waiting (up to the give-up age); pauses the target.
 * - `retry`: an unexplained failure — back off, dead letter after the attempt limit.
 * - `dead`: the record itself is refused (validation, unknown recipient…) — dead letter at once.
 * `maybeSent` is true when the target may have processed the write (timeout, lost response, 5xx): the next
 * attempt must first check whether the write landed.
 */
export interface FailureVerdict {
  action: 'wait' | 'retry' | 'dead';
  maybeSent: boolean;
  code: string;
  /** Free of personal data: adapter messages are (see IntegrationError). */
  reason: string;
}

export function classifyFailure(error: unknown): FailureVerdict {
  if (error instanceof SalesforceError) return classifySalesforce(error);
  if (error instanceof TwilioError) return classifyTwilio(error);
  if (error instanceof IntegrationError) {
    return {
      action: error.retryable ? 'retry' : 'dead',
      maybeSent: error.retryable,
      code: String(error.code),
      reason: error.message,
    };
  }
  // A bug or an unexpected failure: we cannot tell whether the write went out.
  return {
    action: 'retry',
    maybeSent: true,
    code: 'UNEXPECTED',
    reason: error instanceof Error ? error.name : 'unknown error',
  };
}

/** Per-record failure reported inside a successful batch response (the batch call itself went through). */
export function classifyRecordFailure(code: string, message: string, retryable: boolean): FailureVerdict {
  return { action: retryable ? 'retry' : 'dead', maybeSent: false, code, reason: message };
}

function classifySalesforce(error: SalesforceError): FailureVerdict {
  const verdict = (action: FailureVerdict['action'], maybeSent: boolean): FailureVerdict => ({
    action,
    maybeSent,
    code: error.code,
    reason: error.salesforceCode ? `${error.salesforceCode}: ${error.message}` : error.message,
  });
  switch (error.code) {
    case SalesforceErrorCode.RATE_LIMITED:
    case SalesforceErrorCode.AUTH_FAILED:
      return verdict('wait', false);
    case SalesforceErrorCode.UNAVAILABLE:
    case SalesforceErrorCode.TIMEOUT:
      return verdict('wait', true);
    case SalesforceErrorCode.SESSION_EXPIRED:
      return verdict('retry', false);
    case SalesforceErrorCode.UNKNOWN:
      return verdict(error.retryable ? 'retry' : 'dead', true);
    case SalesforceErrorCode.VALIDATION:
    case SalesforceErrorCode.NOT_FOUND:
    case SalesforceErrorCode.MISCONFIGURED:
      return verdict('dead', false);
  }
}

function classifyTwilio(error: TwilioError): FailureVerdict {
  const verdict = (action: FailureVerdict['action'], maybeSent: boolean): FailureVerdict => ({
    action,
    maybeSent,
    code: error.code,
    reason: error.twilioCode ? `Twilio ${error.twilioCode}: ${error.message}` : error.message,
  });
  switch (error.code) {
    case TwilioErrorCode.RATE_LIMITED:
    case TwilioErrorCode.AUTH_FAILED:
      return verdict('wait', false);
    case TwilioErrorCode.UNAVAILABLE:
    case TwilioErrorCode.TIMEOUT:
      return verdict('wait', true);
    case TwilioErrorCode.INVALID_RECIPIENT:
    case TwilioErrorCode.REJECTED:
    case TwilioErrorCode.NOT_CONFIGURED:
      return verdict('dead', false);
  }
}

/** Exponential backoff with equal jitter: half fixed, half random, so retries of many rows spread out. */
export function backoffDelayMs(
  failures: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
