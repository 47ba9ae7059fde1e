import { Inject } from '@nestjs/common';
import { DeliveryService } from '../../delivery/delivery.service';
import { ContactUpdate } from '../../salesforce/salesforce.types';
import { SmsSender } from '../../twilio/sms-sender';
import { ToolCallContext, VapiTool, VapiToolHandler } from '../../vapi/vapi-tool.decorator';
import { callsConfig, CallsConfig } from '../calls.config';
import { CallerIdentity, isIdentified } from '../calls.types';
import { CallerScope } from '../caller-scope.service';
import { PhoneNumbers } from '../../common/phone-numbers';
import { VerificationPolicy } from '../verification.policy';
import { CallVoice } from '../voice/call-voice';
import { UpdateContactArgs } from './tool-args.dto';
import { argumentsDigest, repeatsAnEarlierRequest, writeKey } from './write-key';

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
    private readonly policy: VerificationPolicy,
    private readonly sms: SmsSender,
    @Inject(callsConfig.KEY) private readonly config: CallsConfig,
  ) {}

  async run(args: UpdateContactArgs, context: ToolCallContext): Promise<string> {
    const { contact, list, sms } = this.voice.say;
    const caller = await this.scope.for(context);
    if (!isIdentified(caller.identity)) return contact.onlyForRecognisedCallers;
    const refusal = this.policy.refusal('updateContact', caller);
    if (refusal) return refusal;
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

    // The owner of the number on file before the change hears of it, so a change they did not make is seen.
    const noticeTo = this.sms.enabled ? caller.identity.onFileNumber : undefined;
    const delivery = await this.deliveries.submit(
      {
        kind: 'salesforce.contact.update',
        idempotencyKey: await this.keyOf(fields, caller.identity, context),
        callId: context.callId,
        payload: {
          contactId: caller.identity.contactId,
          fields,
          requestedBy: context.toolCallId,
          ...(noticeTo
            ? { notice: { to: noticeTo, body: sms.contactChanged(this.config.companyName, new Date()) } }
            : {}),
        },
      },
      { runNow: true },
    );
    const outcome = await this.deliveries.runInline(delivery, this.config.toolWriteBudgetMs);
    const what = list(changed.map((key) => contact.fieldWords[key]));
    switch (outcome.status) {
      case 'succeeded':
        return repeatsAnEarlierRequest(delivery, context)
          ? contact.alreadyUpdated(what)
          : contact.updated(what);
      case 'pending':
        return contact.queued(what);
      case 'dead':
        return this.voice.refusal(outcome.code, contact.refused(what));
    }
  }

  /**
   * A change repeats the call's latest change only when it sets the same values: the caller who changes their
   * email to A, then B, then A again gets three writes, while a model's retry of the latest gets none.
   */
  private async keyOf(
    fields: ContactUpdate,
    identity: CallerIdentity,
    context: ToolCallContext,
  ): Promise<string> {
    if (!context.callId) return writeKey('contact', context, fields);
    const earlier = (await this.deliveries.listForCall(context.callId)).filter(
      (record) =>
        record.kind === 'salesforce.contact.update' && record.payload.contactId === identity.contactId,
    );
    const latest = earlier[earlier.length - 1];
    if (
      latest?.kind === 'salesforce.contact.update' &&
      argumentsDigest(latest.payload.fields) === argumentsDigest(fields)
    ) {
      return latest.idempotencyKey;
    }
    return writeKey(`contact:${earlier.length}`, context, fields);
  }
}
