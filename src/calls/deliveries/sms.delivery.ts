import {
  DeliveryAttempt,
  DeliverySuccess,
  OutboxHandler,
  SingleDeliveryHandler,
} from '../../delivery/delivery-handler';
import { FailureVerdict } from '../../delivery/retry-policy';
import { SmsSender } from '../../twilio/sms-sender';
import { classifyTwilioFailure } from './failure-verdicts';

type Kind = 'twilio.sms.send';

/** Sends an SMS to the caller; skipped, not failed, when no SMS provider is configured. */
@OutboxHandler()
export class SmsDelivery implements SingleDeliveryHandler<Kind> {
  readonly kind = 'twilio.sms.send';
  readonly target = 'twilio';

  constructor(private readonly sms: SmsSender) {}

  classify(error: unknown): FailureVerdict {
    return classifyTwilioFailure(error);
  }

  async deliver({ payload }: DeliveryAttempt<Kind>): Promise<DeliverySuccess<Kind>> {
    if (!this.sms.enabled) return { result: { skipped: 'SMS is not configured' }, skipped: true };
    const sent = await this.sms.send({ to: payload.to, body: payload.body });
    return { result: { sid: sent.sid, status: sent.status } };
  }
}
