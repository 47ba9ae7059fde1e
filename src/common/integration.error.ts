/**
 * The one error family that adapters throw. `code` is a module's string enum value; `retryable` says whether
 * the same request may be sent again (after backoff); `message` never contains secrets or personal data.
 */
export class IntegrationError<Code extends string = string> extends Error {
  constructor(
    readonly source: 'salesforce' | 'twilio' | 'twilio-verify' | 'vapi-api' | 'store',
    readonly code: Code,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IntegrationError';
    this.status = options?.status;
  }

  readonly status?: number;
}
