import { Inject } from '@nestjs/common';
import { DeliveryService } from '../../delivery/delivery.service';
import { ContactUpdate } from '../../salesforce/salesforce.types';
import { ToolCallContext, VapiTool, VapiToolHandler } from '../../vapi/vapi-tool.decorator';
import { callsConfig, CallsConfig } from '../calls.config';
import { isIdentified } from '../calls.types';
import { CallerScope } from '../caller-scope.service';
import { PhoneNumbers } from '../../common/phone-numbers';
import { CallVoice } from '../voice/call-voice';
import { UpdateContactArgs } from './tool-args.dto';

@VapiTool({
  name: 'updateContact',
  description:
    "Update the caller's own contact details. Read the new values back to the caller and get a yes before calling.",
  args: UpdateContactArgs,
})
export class UpdateContactTool implements VapiToolHandler<UpdateContactArgs> {
  constructor(
    private readonly scope: CallerScope,
    private readonly deliveries: DeliveryService,
    private readonly voice: CallVoice,
    private readonly phones: PhoneNumbers,
    @Inject(callsConfig.KEY) private readonly config: CallsConfig,
  ) {}

  async run(args: UpdateContactArgs, context: ToolCallContext): Promise<string> {
    const { contact, list } = this.voice.say;
    const caller = await this.scope.for(context);
    if (!isIdentified(caller.identity)) return contact.onlyForRecognisedCallers;
    const fields: ContactUpdate = {};
    for (const key of Object.keys(contact.fieldWords) as (keyof ContactUpdate)[]) {
      const value = args[key];
      if (value !== undefined) fields[key] = value;
    }
    for (const key of ['phone', 'mobilePhone'] as const) {
      if (fields[key] === undefined) continue;
      const e164 = this.phones.toE164(fields[key]);
      if (!e164) return contact.invalidPhone(contact.fieldWords[key]);
      fields[key] = e164;
    }
    const changed = Object.keys(fields) as (keyof ContactUpdate)[];
    if (changed.length === 0) return contact.nothingToUpdate;

    const delivery = await this.deliveries.submit({
      kind: 'salesforce.contact.update',
      idempotencyKey: `contact:${context.toolCallId}`,
      callId: context.callId,
      payload: { contactId: caller.identity.contactId, fields },
    });
    const outcome = await this.deliveries.runInline(delivery, this.config.toolWriteBudgetMs);
    const what = list(changed.map((key) => contact.fieldWords[key]));
    switch (outcome.status) {
      case 'succeeded':
        return contact.updated(what);
      case 'pending':
        return contact.queued(what);
      case 'dead':
        return contact.refused(what);
    }
  }
}
