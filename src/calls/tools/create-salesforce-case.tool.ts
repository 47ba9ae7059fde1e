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
import { CallVoice } from '../voice/call-voice';
import { CreateSalesforceCaseArgs } from './tool-args.dto';

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
    const delivery = await this.deliveries.submit({
      kind: 'salesforce.case.create',
      idempotencyKey: `case:${context.toolCallId}`,
      callId: context.callId,
      payload: {
        idempotencyKey: context.toolCallId,
        accountId,
        contactId,
        issueType: args.issueType,
        subject: args.subject ?? cases.defaultSubject[args.issueType],
        description: args.description,
        priority: args.priority,
        // Salesforce could not check the number just now: the outbox resolves it when it creates the case.
        ...(accountId === undefined && contactId === undefined ? { accountNumber: args.accountNumber } : {}),
        ...(textTo
          ? { sms: { to: textTo, body: sms.caseOpened('{caseNumber}', this.config.companyName) } }
          : {}),
      },
    });
    const outcome = await this.deliveries.runInline(delivery, this.config.toolWriteBudgetMs);
    switch (outcome.status) {
      case 'succeeded':
        return `${cases.opened(outcome.result.caseNumber, args.issueType)}${textTo ? cases.willText : ''}`;
      case 'pending':
        // The outbox holds the write and finishes it; the promise below is what it will keep.
        return textTo ? cases.queuedWillText : cases.queuedColleagueWillFollowUp;
      case 'dead':
        return cases.refused;
    }
  }
}
