import { Inject } from '@nestjs/common';
import { DeliveryService } from '../../delivery/delivery.service';
import { SalesforceClient } from '../../salesforce/salesforce.client';
import { ToolCallContext, VapiTool, VapiToolHandler } from '../../vapi/vapi-tool.decorator';
import { callsConfig, CallsConfig } from '../calls.config';
import { isIdentified } from '../calls.types';
import { CallerScope } from '../caller-scope.service';
import { SensitiveDataMasker } from '../sensitive-data.masker';
import { VerificationPolicy } from '../verification.policy';
import { CallVoice } from '../voice/call-voice';
import { AddCaseCommentArgs } from './tool-args.dto';
import { repeatsAnEarlierRequest, writeKey } from './write-key';

@VapiTool({
  name: 'addCaseComment',
  description: "Add the caller's comment to one of their cases. Read the comment back to the caller first.",
  args: AddCaseCommentArgs,
})
export class AddCaseCommentTool implements VapiToolHandler<AddCaseCommentArgs> {
  constructor(
    private readonly scope: CallerScope,
    private readonly salesforce: SalesforceClient,
    private readonly deliveries: DeliveryService,
    private readonly voice: CallVoice,
    private readonly policy: VerificationPolicy,
    private readonly masker: SensitiveDataMasker,
    @Inject(callsConfig.KEY) private readonly config: CallsConfig,
  ) {}

  async run(args: AddCaseCommentArgs, context: ToolCallContext): Promise<string> {
    const { cases, comments } = this.voice.say;
    const caller = await this.scope.for(context);
    const refusal = this.policy.refusal('addCaseComment', caller);
    if (refusal) return refusal;
    const found = await this.salesforce.getCaseByNumber(args.caseNumber, 'live');
    if (!found || !this.scope.owns(caller, found)) {
      if (!isIdentified(caller.identity) && caller.casesCreatedInCall.length === 0)
        return cases.onlyForRecognisedCallers;
      return cases.notFound(args.caseNumber);
    }
    const delivery = await this.deliveries.submit(
      {
        kind: 'salesforce.case.comment',
        idempotencyKey: writeKey('comment', context, { caseId: found.id, comment: args.comment }),
        callId: context.callId,
        payload: { caseId: found.id, body: this.masker.mask(args.comment), requestedBy: context.toolCallId },
      },
      { runNow: true },
    );
    const outcome = await this.deliveries.runInline(delivery, this.config.toolWriteBudgetMs);
    switch (outcome.status) {
      case 'succeeded':
        return repeatsAnEarlierRequest(delivery, context)
          ? comments.alreadyAdded(args.caseNumber)
          : comments.added(args.caseNumber);
      case 'pending':
        return comments.queued(args.caseNumber);
      case 'dead':
        return this.voice.refusal(outcome.code, comments.refused);
    }
  }
}
