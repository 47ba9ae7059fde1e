import { Inject } from '@nestjs/common';
import { DeliveryService } from '../../delivery/delivery.service';
import { SalesforceClient } from '../../salesforce/salesforce.client';
import { ToolCallContext, VapiTool, VapiToolHandler } from '../../vapi/vapi-tool.decorator';
import { callsConfig, CallsConfig } from '../calls.config';
import { isIdentified } from '../calls.types';
import { CallerScope } from '../caller-scope.service';
import { spellDigits } from '../speech';
import { AddCaseCommentArgs } from './tool-args.dto';
import { NOT_IDENTIFIED_FOR_CASES } from './lookup-case.tool';

@VapiTool({
  name: 'addCaseComment',
  description: "Add the caller's comment to one of their cases. Read the comment back to the caller first.",
  args: AddCaseCommentArgs,
  parameters: {
    type: 'object',
    properties: {
      caseNumber: { type: 'string', description: 'The case number, digits only' },
      comment: { type: 'string', description: 'The comment to add, in the caller’s words' },
    },
    required: ['caseNumber', 'comment'],
  },
  questions: {
    caseNumber: 'Which case is this about? Could you read me the case number?',
    comment: 'What would you like me to add to the case?',
  },
})
export class AddCaseCommentTool implements VapiToolHandler<AddCaseCommentArgs> {
  constructor(
    private readonly scope: CallerScope,
    private readonly salesforce: SalesforceClient,
    private readonly deliveries: DeliveryService,
    @Inject(callsConfig.KEY) private readonly config: CallsConfig,
  ) {}

  async run(args: AddCaseCommentArgs, context: ToolCallContext): Promise<string> {
    const caller = await this.scope.for(context);
    const spoken = spellDigits(args.caseNumber);
    const found = await this.salesforce.getCaseByNumber(args.caseNumber, 'live');
    if (!found || !this.scope.owns(caller, found)) {
      if (!isIdentified(caller.identity) && caller.casesCreatedInCall.length === 0)
        return NOT_IDENTIFIED_FOR_CASES;
      return `I couldn't find case ${spoken} on your account. Could you check the number?`;
    }
    const delivery = await this.deliveries.submit({
      kind: 'salesforce.case.comment',
      idempotencyKey: `comment:${context.toolCallId}`,
      callId: context.callId,
      payload: { caseId: found.id, body: args.comment },
    });
    const outcome = await this.deliveries.runInline(delivery.id, this.config.toolWriteBudgetMs);
    switch (outcome.status) {
      case 'succeeded':
        return `I've added your comment to case ${spoken}.`;
      case 'pending':
        return `I've noted your comment, and it will be added to case ${spoken} shortly.`;
      case 'dead':
        return "I'm sorry, our records system would not accept that comment. Could you say it again a little differently?";
    }
  }
}
