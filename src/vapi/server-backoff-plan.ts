/**
 * How VAPI retries a message this service did not take (OAS `Server.backoffPlan`, shaped as `BackoffPlan`).
 * Without a plan VAPI does not retry at all. The service answers 5xx when it could not store what a message
 * told durably, so those are retried (1, 2 and 4 seconds later); a 4xx answer (malformed body, refused
 * signature, body too large) would only be refused again, so it is not.
 */
export const SERVER_BACKOFF_PLAN = {
  type: 'exponential',
  maxRetries: 3,
  baseDelaySeconds: 1,
  excludedStatusCodes: [400, 401, 403, 404, 413],
} as const;
