import {
  DeliveryAttempt,
  DeliverySuccess,
  OutboxHandler,
  SingleDeliveryHandler,
} from '../../delivery/delivery-handler';
import { FailureVerdict } from '../../delivery/retry-policy';
import { SalesforceClient } from '../../salesforce/salesforce.client';
import { SalesforceError, SalesforceErrorCode } from '../../salesforce/salesforce.errors';
import { NewCase, RequestPriority } from '../../salesforce/salesforce.types';
import { CallsRepository } from '../calls.repository';
import { SensitiveDataMasker } from '../sensitive-data.masker';
import { classifySalesforceFailure } from './failure-verdicts';

type Kind = 'salesforce.case.create';

/**
 * Opens a case. The call's own record of its cases (what the call log links its Task to, and what the caller
 * may discuss) is updated here, whether the case was opened inline or by the worker later; the SMS with the
 * case number is committed with the success.
 */
@OutboxHandler()
export class CaseCreateDelivery implements SingleDeliveryHandler<Kind> {
  readonly kind = 'salesforce.case.create';
  readonly target = 'salesforce';

  constructor(
    private readonly salesforce: SalesforceClient,
    private readonly calls: CallsRepository,
    private readonly masker: SensitiveDataMasker,
  ) {}

  classify(error: unknown): FailureVerdict {
    return classifySalesforceFailure(error);
  }

  async deliver(attempt: DeliveryAttempt<Kind>): Promise<DeliverySuccess<Kind>> {
    const { priority, callId } = attempt;
    const { sms, accountNumber, ...payloadCase } = attempt.payload;
    const masked = {
      ...payloadCase,
      subject: this.masker.mask(payloadCase.subject),
      description: this.masker.mask(payloadCase.description),
    };
    const newCase = await this.withAccount(masked, accountNumber, priority);
    // After an attempt that may have landed, look for the case before creating it again.
    const existing = attempt.inDoubt
      ? await this.salesforce.findCaseByIdempotencyKey(newCase.idempotencyKey, priority, newCase)
      : null;
    const created = existing ?? (await this.salesforce.createCase(newCase, priority));
    if (callId) await this.calls.addCreatedCase(callId, created, Date.now());
    return {
      result: { id: created.id, caseNumber: created.caseNumber },
      followUps: sms
        ? [
            {
              kind: 'twilio.sms.send',
              idempotencyKey: `${attempt.idempotencyKey}:sms`,
              callId: callId ?? undefined,
              payload: { to: sms.to, body: sms.body.replaceAll('{caseNumber}', created.caseNumber) },
            },
          ]
        : [],
    };
  }

  private async withAccount(
    newCase: NewCase,
    accountNumber: string | undefined,
    priority: RequestPriority,
  ): Promise<NewCase> {
    if (newCase.accountId || !accountNumber) return newCase;
    const account = await this.salesforce.findAccountByNumber(accountNumber, priority);
    if (!account) {
      throw new SalesforceError(
        SalesforceErrorCode.NOT_FOUND,
        'No account has the account number the caller gave',
        false,
      );
    }
    return { ...newCase, accountId: account.id };
  }
}
