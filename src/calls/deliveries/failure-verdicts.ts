import { classifyIntegrationFailure, FailureVerdict } from '../../delivery/retry-policy';
import { SalesforceError, SalesforceErrorCode } from '../../salesforce/salesforce.errors';
import { TwilioError, TwilioErrorCode } from '../../twilio/twilio.errors';

type Verdict = [action: FailureVerdict['action'] | 'retry-if-retryable', maybeSent: boolean];

/*
 * How the outbox treats a failed write, per error code (see FailureVerdict): `wait` out outages and limits,
 * `retry` what is unexplained, dead-letter what the target refused. `maybeSent` says whether the write may
 * have landed (timeouts, lost answers), so the next attempt checks first.
 */
const SALESFORCE: Record<SalesforceErrorCode, Verdict> = {
  [SalesforceErrorCode.RATE_LIMITED]: ['wait', false],
  [SalesforceErrorCode.AUTH_FAILED]: ['wait', false],
  [SalesforceErrorCode.UNAVAILABLE]: ['wait', true],
  [SalesforceErrorCode.TIMEOUT]: ['wait', true],
  [SalesforceErrorCode.SESSION_EXPIRED]: ['retry', false],
  [SalesforceErrorCode.UNKNOWN]: ['retry-if-retryable', true],
  [SalesforceErrorCode.VALIDATION]: ['dead', false],
  [SalesforceErrorCode.NOT_FOUND]: ['dead', false],
  [SalesforceErrorCode.MISCONFIGURED]: ['dead', false],
  // The org's duplicate rule refused the record: sending it again gets the same answer.
  [SalesforceErrorCode.DUPLICATES_DETECTED]: ['dead', false],
};

const TWILIO: Record<TwilioErrorCode, Verdict> = {
  [TwilioErrorCode.RATE_LIMITED]: ['wait', false],
  [TwilioErrorCode.AUTH_FAILED]: ['wait', false],
  [TwilioErrorCode.UNAVAILABLE]: ['wait', true],
  [TwilioErrorCode.TIMEOUT]: ['wait', true],
  [TwilioErrorCode.INVALID_RECIPIENT]: ['dead', false],
  [TwilioErrorCode.REJECTED]: ['dead', false],
  [TwilioErrorCode.NOT_CONFIGURED]: ['dead', false],
};

function verdictOf(
  [action, maybeSent]: Verdict,
  error: SalesforceError | TwilioError,
  vendorCode: string | undefined,
): FailureVerdict {
  return {
    action: action === 'retry-if-retryable' ? (error.retryable ? 'retry' : 'dead') : action,
    maybeSent,
    code: error.code,
    reason: vendorCode ? `${vendorCode}: ${error.message}` : error.message,
  };
}

export function classifySalesforceFailure(error: unknown): FailureVerdict {
  if (!(error instanceof SalesforceError)) return classifyIntegrationFailure(error);
  return verdictOf(SALESFORCE[error.code], error, error.salesforceCode);
}

export function classifyTwilioFailure(error: unknown): FailureVerdict {
  if (!(error instanceof TwilioError)) return classifyIntegrationFailure(error);
  return verdictOf(TWILIO[error.code], error, error.twilioCode ? `Twilio ${error.twilioCode}` : undefined);
}
