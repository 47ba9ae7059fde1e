import { SalesforceClient } from '../../salesforce/salesforce.client';
import { ToolCallContext, VapiTool, VapiToolHandler } from '../../vapi/vapi-tool.decorator';
import { isIdentified } from '../calls.types';
import { CallerScope } from '../caller-scope.service';
import { VerificationPolicy } from '../verification.policy';
import { CallVoice } from '../voice/call-voice';
import { LookupCaseArgs } from './tool-args.dto';

@VapiTool({
  name: 'lookupCase',
  description:
    'Tell the caller the status of one of their cases by case number, or of their open cases when no number is given.',
  args: LookupCaseArgs,
})
export class LookupCaseTool implements VapiToolHandler<LookupCaseArgs> {
  constructor(
    private readonly scope: CallerScope,
    private readonly salesforce: SalesforceClient,
    private readonly voice: CallVoice,
    private readonly policy: VerificationPolicy,
  ) {}

  async run(args: LookupCaseArgs, context: ToolCallContext): Promise<string> {
    const { cases } = this.voice.say;
    const caller = await this.scope.for(context);
    const refusal = this.policy.refusal('lookupCase', caller);
    if (refusal) return refusal;
    if (args.caseNumber) {
      const found = await this.salesforce.getCaseByNumber(args.caseNumber, 'live');
      // Someone else's case is answered exactly like a case that does not exist.
      if (!found || !this.scope.owns(caller, found)) {
        if (!isIdentified(caller.identity) && caller.casesCreatedInCall.length === 0)
          return cases.onlyForRecognisedCallers;
        return cases.notFound(args.caseNumber);
      }
      return cases.status(found);
    }
    if (!isIdentified(caller.identity)) return cases.onlyForRecognisedCallers;
    const open = await this.salesforce.listOpenCases({ contactId: caller.identity.contactId }, 3, 'live');
    if (open.length === 0) return cases.noneOpen;
    const intro = open.length === 1 ? cases.oneOpen : cases.someOpen(open.length);
    return [intro, ...open.map((record) => cases.status(record))].join(' ');
  }
}
