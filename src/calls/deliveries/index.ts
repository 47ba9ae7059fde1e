import { CallLogDelivery } from './call-log.delivery';
import { CaseCreateDelivery } from './case-create.delivery';
import { CaseCommentDelivery, ContactUpdateDelivery, TranscriptDelivery } from './salesforce-writes.delivery';
import { SmsDelivery } from './sms.delivery';

/** The outbox handlers of the call workflow's writes (their kinds: call-deliveries.ts). */
export const CALL_DELIVERY_HANDLERS = [
  CaseCreateDelivery,
  CaseCommentDelivery,
  ContactUpdateDelivery,
  CallLogDelivery,
  TranscriptDelivery,
  SmsDelivery,
] as const;
