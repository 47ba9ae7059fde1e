import { Inject } from '@nestjs/common';
import { DeliveryService } from '../../delivery/delivery.service';
import { ContactUpdate } from '../../salesforce/salesforce.types';
import { ToolCallContext, VapiTool, VapiToolHandler } from '../../vapi/vapi-tool.decorator';
import { callsConfig, CallsConfig } from '../calls.config';
import { isIdentified } from '../calls.types';
import { CallerScope } from '../caller-scope.service';
import { toE164 } from '../caller-identity.service';
import { UpdateContactArgs } from './tool-args.dto';

const FIELD_WORDS: Record<keyof ContactUpdate, string> = {
  email: 'email address',
  phone: 'phone number',
  mobilePhone: 'mobile number',
  mailingStreet: 'street',
  mailingCity: 'city',
  mailingState: 'state',
  mailingPostalCode: 'postal code',
  mailingCountry: 'country',
};

function listWords(words: string[]): string {
  return words.length <= 1
    ? words.join('')
    : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

@VapiTool({
  name: 'updateContact',
  description:
    "Update the caller's own contact details. Read the new values back to the caller and get a yes before calling.",
  args: UpdateContactArgs,
  parameters: {
    type: 'object',
    properties: {
      email: { type: 'string', description: 'New email address' },
      phone: { type: 'string', description: 'New phone number' },
      mobilePhone: { type: 'string', description: 'New mobile number' },
      mailingStreet: { type: 'string' },
      mailingCity: { type: 'string' },
      mailingState: { type: 'string' },
      mailingPostalCode: { type: 'string' },
      mailingCountry: { type: 'string' },
    },
    required: [],
  },
  questions: {
    email: "That email address doesn't look right. Could you spell it for me?",
    phone: "That phone number doesn't look right. Could you say it again, digit by digit?",
    mobilePhone: "That mobile number doesn't look right. Could you say it again, digit by digit?",
  },
})
export class UpdateContactTool implements VapiToolHandler<UpdateContactArgs> {
  constructor(
    private readonly scope: CallerScope,
    private readonly deliveries: DeliveryService,
    @Inject(callsConfig.KEY) private readonly config: CallsConfig,
  ) {}

  async run(args: UpdateContactArgs, context: ToolCallContext): Promise<string> {
    const caller = await this.scope.for(context);
    if (!isIdentified(caller.identity)) {
      return 'I can only change contact details when you call from the phone number on your account. I can transfer you to a colleague who can help.';
    }
    const fields: ContactUpdate = {};
    for (const key of Object.keys(FIELD_WORDS) as (keyof ContactUpdate)[]) {
      const value = args[key];
      if (value !== undefined) fields[key] = value;
    }
    for (const key of ['phone', 'mobilePhone'] as const) {
      if (fields[key] === undefined) continue;
      const e164 = toE164(fields[key]);
      if (!e164)
        return `That ${FIELD_WORDS[key]} doesn't look right. Could you say it again, digit by digit?`;
      fields[key] = e164;
    }
    const changed = Object.keys(fields) as (keyof ContactUpdate)[];
    if (changed.length === 0) return 'What would you like me to update: your email, phone number or address?';

    const delivery = await this.deliveries.submit({
      kind: 'salesforce.contact.update',
      idempotencyKey: `contact:${context.toolCallId}`,
      callId: context.callId,
      payload: { contactId: caller.identity.contactId, fields },
    });
    const outcome = await this.deliveries.runInline(delivery.id, this.config.toolWriteBudgetMs);
    const what = listWords(changed.map((key) => FIELD_WORDS[key]));
    switch (outcome.status) {
      case 'succeeded':
        return `I've updated your ${what}.`;
      case 'pending':
        return `I've noted the change to your ${what}, and it will be saved shortly.`;
      case 'dead':
        return `I'm sorry, our records system would not accept that ${what}. Could you check it and tell me again?`;
    }
  }
}
