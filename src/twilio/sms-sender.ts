import type { SetupCheckResult } from '../common/setup-check';

export interface OutgoingSms {
  to: string;
  body: string;
}

export interface SentSms {
  sid: string;
  status: string;
}

/** The port for outbound SMS. Adapters throw `TwilioError` only. */
export abstract class SmsSender {
  /** False when no SMS provider is configured: callers skip confirmations instead of failing. */
  abstract readonly enabled: boolean;
  abstract send(message: OutgoingSms): Promise<SentSms>;
  /** The provider's set-up, read only, each step with a fix (the start-up log; `npm run doctor`). */
  abstract checkSetup(): Promise<SetupCheckResult[]>;
}
