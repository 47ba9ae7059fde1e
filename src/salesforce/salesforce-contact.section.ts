import { isEmail } from 'class-validator';
import { PhoneNumbers } from '../common/phone-numbers';
import { ContactUpdate, RequestPriority } from './salesforce.types';
import { SalesforceGateway } from './salesforce-gateway';
import { checkedId, invalidField } from './salesforce-rows';

const CONTACT_FIELD_LIMITS: Record<keyof ContactUpdate, [string, number]> = {
  email: ['Email', 80],
  phone: ['Phone', 40],
  mobilePhone: ['MobilePhone', 40],
  mailingStreet: ['MailingStreet', 255],
  mailingCity: ['MailingCity', 40],
  mailingState: ['MailingState', 80],
  mailingPostalCode: ['MailingPostalCode', 20],
  mailingCountry: ['MailingCountry', 80],
};

/** The caller's own Contact record: the few fields they may change by voice. */
export class ContactSection {
  constructor(
    private readonly gateway: SalesforceGateway,
    private readonly phones: PhoneNumbers,
  ) {}

  /** Only the allow-listed fields, validated here; PATCH with the same values is idempotent, so it retries. */
  async updateContact(
    contactId: string,
    fields: ContactUpdate,
    priority: RequestPriority = 'live',
  ): Promise<void> {
    const body = this.contactBody(fields);
    await this.gateway.request<void>({
      operation: 'updateContact',
      method: 'PATCH',
      path: `/sobjects/Contact/${checkedId(contactId, 'contactId')}`,
      body,
      priority,
      idempotent: true,
    });
  }

  private contactBody(fields: ContactUpdate): Record<string, string> {
    const body: Record<string, string> = {};
    for (const key of Object.keys(CONTACT_FIELD_LIMITS) as (keyof ContactUpdate)[]) {
      const raw = fields[key];
      if (raw === undefined) continue;
      const [apiName, maxLength] = CONTACT_FIELD_LIMITS[key];
      let value = raw.trim();
      if (key === 'email' && !isEmail(value)) throw invalidField(key, 'is not a valid e-mail address');
      if (key === 'phone' || key === 'mobilePhone') {
        const phone = this.phones.normalise(value);
        if (!phone) throw invalidField(key, 'is not a valid phone number');
        value = phone.e164;
      }
      if (value.length === 0) throw invalidField(key, 'is empty');
      if (value.length > maxLength) throw invalidField(key, `is longer than ${maxLength} characters`);
      body[apiName] = value;
    }
    if (Object.keys(body).length === 0) throw invalidField('fields', 'contain nothing to update');
    return body;
  }
}
