import { IntegrationError } from '../common/integration.error';

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

/**
 * The default reading of a failure, for handlers whose target has nothing more specific to say: an
 * integration error that may be retried is retried (and may have been sent); anything else is a dead letter.
 */
export function classifyIntegrationFailure(error: unknown): FailureVerdict {
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
