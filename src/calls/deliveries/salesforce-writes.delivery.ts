import { Injectable } from '@nestjs/common';
import {
  DeliveryAttempt,
  DeliverySuccess,
  OutboxHandler,
  SingleDeliveryHandler,
} from '../../delivery/delivery-handler';
import { DeliveryKind } from '../../delivery/delivery.types';
import { FailureVerdict } from '../../delivery/retry-policy';
import { SalesforceClient } from '../../salesforce/salesforce.client';
import { SensitiveDataMasker } from '../sensitive-data.masker';
import { classifySalesforceFailure } from './failure-verdicts';

/**
 * A write to Salesforce through the port: one target, one reading of its failures. `@Injectable()` gives the
 * constructor's parameter types to Nest, which the handlers below inherit.
 */
@Injectable()
export abstract class SalesforceWriteDelivery<K extends DeliveryKind> implements SingleDeliveryHandler<K> {
  abstract readonly kind: K;
  readonly target = 'salesforce';

  constructor(
    protected readonly salesforce: SalesforceClient,
    protected readonly masker: SensitiveDataMasker,
  ) {}

  classify(error: unknown): FailureVerdict {
    return classifySalesforceFailure(error);
  }

  abstract deliver(attempt: DeliveryAttempt<K>): Promise<DeliverySuccess<K>>;
}

/** Adds a CaseComment; after an attempt that may have landed, looks for it before adding it again. */
@OutboxHandler()
export class CaseCommentDelivery extends SalesforceWriteDelivery<'salesforce.case.comment'> {
  readonly kind = 'salesforce.case.comment';

  async deliver({ payload, inDoubt, priority }: DeliveryAttempt<'salesforce.case.comment'>) {
    const { caseId } = payload;
    const body = this.masker.mask(payload.body);
    const existing = inDoubt ? await this.salesforce.findCaseComment(caseId, body, priority) : null;
    return { result: existing ?? (await this.salesforce.addCaseComment(caseId, body, priority)) };
  }
}

/**
 * Updates the caller's Contact. Setting the same fields again is harmless: no check after a lost response.
 * The notice to the number on file before the change is committed with the success.
 */
@OutboxHandler()
export class ContactUpdateDelivery extends SalesforceWriteDelivery<'salesforce.contact.update'> {
  readonly kind = 'salesforce.contact.update';

  async deliver(attempt: DeliveryAttempt<'salesforce.contact.update'>) {
    const { payload, priority, idempotencyKey, callId } = attempt;
    await this.salesforce.updateContact(payload.contactId, payload.fields, priority);
    const { notice } = payload;
    return {
      result: { updated: true as const },
      followUps: notice
        ? [
            {
              kind: 'twilio.sms.send' as const,
              idempotencyKey: `${idempotencyKey}:notice`,
              callId: callId ?? undefined,
              payload: notice,
            },
          ]
        : [],
    };
  }
}

/** Attaches a transcript too long for the Task's Description to the Task, as a file. */
@OutboxHandler()
export class TranscriptDelivery extends SalesforceWriteDelivery<'salesforce.task.transcript'> {
  readonly kind = 'salesforce.task.transcript';

  async deliver({ payload, priority }: DeliveryAttempt<'salesforce.task.transcript'>) {
    const { taskId, title } = payload;
    const content = this.masker.mask(payload.content);
    return { result: await this.salesforce.attachTranscript(taskId, title, content, priority) };
  }
}
