import { Inject } from '@nestjs/common';
import { IntegrationError } from '../../common/integration.error';
import { DeliveryService } from '../../delivery/delivery.service';
import { SalesforceClient } from '../../salesforce/salesforce.client';
import { AccountRef } from '../../salesforce/salesforce.types';
import { SmsSender } from '../../twilio/sms-sender';
import { ToolCallContext, VapiTool, VapiToolHandler } from '../../vapi/vapi-tool.decorator';
import { callsConfig, CallsConfig } from '../calls.config';
import { isIdentified } from '../calls.types';
import { CallerScope } from '../caller-scope.service';
import { PhoneNumbers } from '../../common/phone-numbers';
import { SensitiveDataMasker } from '../sensitive-data.masker';
import { VerificationPolicy } from '../verification.policy';
import { CallVoice } from '../voice/call-voice';
import { CreateSalesforceCaseArgs } from './tool-args.dto';
import { repeatsAnEarlierRequest, writeKey } from './write-key';

@VapiTool({
  name: 'createSalesforceCase',
  description:
    'Open a support case for the caller. Confirm the issue type and a short description with the caller first. ' +
    'accountNumber is needed only when the caller was not recognised from their phone number.',
  args: CreateSalesforceCaseArgs,
})
export class CreateSalesforceCaseTool implements VapiToolHandler<CreateSalesforceCaseArgs> {
  constructor(
    private readonly scope: CallerScope,
    private readonly salesforce: SalesforceClient,
    private readonly deliveries: DeliveryService,
    private readonly sms: SmsSender,
    private readonly voice: CallVoice,
    private readonly phones: PhoneNumbers,
    private readonly policy: VerificationPolicy,
    private readonly masker: SensitiveDataMasker,
    @Inject(callsConfig.KEY) private readonly config: CallsConfig,
  ) {}

  /**
   * The account with this number; null when there is none; undefined when Salesforce cannot answer now (outage,
   * limits), in which case the caller's request is queued with the number instead of being lost.
   */
  private async findAccount(accountNumber: string): Promise<AccountRef | null | undefined> {
    try {
      return await this.salesforce.findAccountByNumber(accountNumber, 'live');
    } catch (error) {
      if (error instanceof IntegrationError && error.retryable) return undefined;
      throw error;
    }
  }

  async run(args: CreateSalesforceCaseArgs, context: ToolCallContext): Promise<string> {
    const { cases, sms } = this.voice.say;
    const caller = await this.scope.for(context);
    const refusal = this.policy.refusal('createSalesforceCase', caller);
    if (refusal) return refusal;
    let accountId: string | undefined;
    let contactId: string | undefined;
    if (isIdentified(caller.identity)) {
      // A recognised caller's case always goes on their own contact and account, whatever number they say.
      contactId = caller.identity.contactId;
      accountId = caller.identity.accountId;
    } else {
      if (!args.accountNumber) return cases.askAccountNumber;
      const account = await this.findAccount(args.accountNumber);
      if (account === null) {
        return cases.accountNotFound(args.accountNumber);
      }
      accountId = account?.id;
    }

    const textTo = this.sms.enabled ? this.phones.toE164(context.customerNumber) : undefined;
    // The account number counts only where it chose the account: a recognised caller's case ignores it.
    const { issueType, description, subject, priority } = args;
    const request = {
      accountId,
      contactId,
      accountNumber: accountId || contactId ? undefined : args.accountNumber,
    };
    const key = writeKey('case', context, { ...request, issueType, description, subject, priority });
    const delivery = await this.deliveries.submit(
      {
        kind: 'salesforce.case.create',
        idempotencyKey: key,
        callId: context.callId,
        payload: {
          requestedBy: context.toolCallId,
          idempotencyKey: key,
          accountId,
          contactId,
          issueType: args.issueType,
          subject: this.masker.mask(args.subject ?? cases.defaultSubject[args.issueType]),
          description: this.masker.mask(args.description),
          priority: args.priority,
          // Salesforce could not check the number just now: the outbox resolves it when it creates the case.
          ...(accountId === undefined && contactId === undefined
            ? { accountNumber: args.accountNumber }
            : {}),
          ...(textTo
            ? { sms: { to: textTo, body: sms.caseOpened('{caseNumber}', this.config.companyName) } }
            : {}),
        },
      },
      { runNow: true },
    );
    const outcome = await this.deliveries.runInline(delivery, this.config.toolWriteBudgetMs);
    switch (outcome.status) {
      case 'succeeded':
        if (repeatsAnEarlierRequest(delivery, context)) return cases.alreadyOpened(outcome.result.caseNumber);
        return `${cases.opened(outcome.result.caseNumber, args.issueType)}${textTo ? cases.willText : ''}`;
      case 'pending':
        // The outbox holds the write and finishes it; the promise below is what it will keep.
        return textTo ? cases.queuedWillText : cases.queuedColleagueWillFollowUp;
      case 'dead':
        return this.voice.refusal(outcome.code, cases.refused);
    }
  }
}
