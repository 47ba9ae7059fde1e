import { SalesforceClient } from '../../salesforce/salesforce.client';
import { ToolCallContext, VapiTool, VapiToolHandler } from '../../vapi/vapi-tool.decorator';
import { isIdentified } from '../calls.types';
import { CallerScope } from '../caller-scope.service';
import { caseStatusSentence, spellDigits } from '../speech';
import { LookupCaseArgs } from './tool-args.dto';

export const NOT_IDENTIFIED_FOR_CASES =
  'For your privacy I can only discuss existing cases when you call from the phone number on your account. I can open a new case, or transfer you to a colleague.';

@VapiTool({
  name: 'lookupCase',
  description:
    'Tell the caller the status of one of their cases by case number, or of their open cases when no number is given.',
  args: LookupCaseArgs,
  parameters: {
    type: 'object',
    properties: {
      caseNumber: { type: 'string', description: 'The case number the caller gives, digits only' },
    },
    required: [],
  },
  questions: { caseNumber: 'Could you read me the case number, digit by digit?' },
})
export class LookupCaseTool implements VapiToolHandler<LookupCaseArgs> {
  constructor(
    private readonly scope: CallerScope,
    private readonly salesforce: SalesforceClient,
  ) {}

  async run(args: LookupCaseArgs, context: ToolCallContext): Promise<string> {
    const caller = await this.scope.for(context);
    if (args.caseNumber) {
      const found = await this.salesforce.getCaseByNumber(args.caseNumber, 'live');
      // Someone else's case is answered exactly like a case that does not exist.
      if (!found || !this.scope.owns(caller, found)) {
        if (!isIdentified(caller.identity) && caller.casesCreatedInCall.length === 0)
          return NOT_IDENTIFIED_FOR_CASES;
        return `I couldn't find case ${spellDigits(args.caseNumber)} on your account. Could you check the number?`;
      }
      return caseStatusSentence(found.caseNumber, found.status, found.subject);
    }
    if (!isIdentified(caller.identity)) return NOT_IDENTIFIED_FOR_CASES;
    const open = await this.salesforce.listOpenCases({ contactId: caller.identity.contactId }, 3, 'live');
    if (open.length === 0) return 'You have no open cases at the moment.';
    const intro =
      open.length === 1 ? 'You have one open case.' : `Your ${open.length} most recent open cases:`;
    return [
      intro,
      ...open.map((record) => caseStatusSentence(record.caseNumber, record.status, record.subject)),
    ].join(' ');
  }
}
