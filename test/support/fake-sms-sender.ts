import type { SetupCheckResult } from '../../src/common/setup-check';
import { TwilioError, TwilioErrorCode } from '../../src/twilio/twilio.errors';
import { OutgoingSms, SentSms, SmsSender } from '../../src/twilio/sms-sender';

/** In-memory SMS port: records what was sent; can be disabled or made to fail. */
export class FakeSmsSender extends SmsSender {
  readonly sent: OutgoingSms[] = [];
  /** Errors thrown by the next sends, in order. */
  readonly failures: TwilioError[] = [];

  constructor(public enabled = true) {
    super();
  }

  checkSetup(): Promise<SetupCheckResult[]> {
    return Promise.resolve([]);
  }

  send(message: OutgoingSms): Promise<SentSms> {
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    if (!this.enabled)
      return Promise.reject(new TwilioError(TwilioErrorCode.NOT_CONFIGURED, 'SMS is off', false));
    this.sent.push(message);
    return Promise.resolve({ sid: `SM${String(this.sent.length).padStart(32, '0')}`, status: 'queued' });
  }
}
