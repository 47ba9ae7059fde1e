import { ToolCallContext, VapiTool, VapiToolHandler } from '../../vapi/vapi-tool.decorator';
import { CallerVerificationService } from '../caller-verification.service';
import { SendVerificationCodeArgs } from './tool-args.dto';

@VapiTool({
  name: 'sendVerificationCode',
  description:
    'Text a one-time code to the phone number on the caller’s account, to confirm who they are before a request ' +
    'that needs it. Takes no number: the code only ever goes to the number on file.',
  args: SendVerificationCodeArgs,
})
export class SendVerificationCodeTool implements VapiToolHandler<SendVerificationCodeArgs> {
  constructor(private readonly verifications: CallerVerificationService) {}

  run(_args: SendVerificationCodeArgs, context: ToolCallContext): Promise<string> {
    return this.verifications.sendCode(context);
  }
}
