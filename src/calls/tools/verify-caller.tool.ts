import { ToolCallContext, VapiTool, VapiToolHandler } from '../../vapi/vapi-tool.decorator';
import { CallerVerificationService } from '../caller-verification.service';
import { VerifyCallerArgs } from './tool-args.dto';

@VapiTool({
  name: 'verifyCaller',
  description:
    'Check the one-time code the caller reads out from the text message sent by sendVerificationCode. Pass ' +
    'the digits as the caller says them.',
  args: VerifyCallerArgs,
})
export class VerifyCallerTool implements VapiToolHandler<VerifyCallerArgs> {
  constructor(private readonly verifications: CallerVerificationService) {}

  run(args: VerifyCallerArgs, context: ToolCallContext): Promise<string> {
    return this.verifications.checkCode(context, args.code);
  }
}
