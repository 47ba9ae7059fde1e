import * as kit from '../../test/support/salesforce-client-harness';
import { SalesforceErrorCode } from './salesforce.errors';

kit.useClientHarnesses();

describe('SalesforceRestClient against the Salesforce fake', () => {
  describe('contact updates', () => {
    it('should write allow-listed fields, phone as E.164, and refuse bad values before any request', async () => {
      const { fake, client, registry } = await kit.startClientHarness();
      const contactId = fake.insert('Contact', { LastName: 'Doe', Title: 'CEO' });

      await client.updateContact(contactId, { phone: '(415) 555-0123', mailingCity: 'Springfield' });
      const badEmail = await kit.caught(client.updateContact(contactId, { email: 'not-an-email' }));
      const tooLong = await kit.caught(
        client.updateContact(contactId, { mailingPostalCode: '1'.repeat(21) }),
      );
      const hostile = await kit.caught(
        client.updateContact(contactId, { Title: 'Intern' } as unknown as { email: string }),
      );

      expect(fake.records('Contact').find((row) => row.Id === contactId)).toMatchObject({
        Phone: '+14155550123',
        MailingCity: 'Springfield',
        Title: 'CEO',
      });
      for (const error of [badEmail, tooLong, hostile])
        expect(error.code).toBe(SalesforceErrorCode.VALIDATION);
      expect(badEmail.message).not.toContain('not-an-email');
      expect(
        await kit.metricValue(registry, 'salesforce_requests_total', {
          operation: 'updateContact',
          outcome: 'success',
        }),
      ).toBe(1);
    });

    const emailRule = { name: 'Contact_Email_Rule', object: 'Contact', fields: ['Email'] };

    it("should report a duplicate rule's refusal as DUPLICATES_DETECTED, naming the rule but not the value", async () => {
      const { fake, client } = await kit.startClientHarness({
        fake: { duplicateRules: [{ ...emailRule, action: 'alert' }] },
      });
      fake.insert('Contact', { LastName: 'Owner', Email: 'taken@example.test' });
      const contactId = fake.insert('Contact', { LastName: 'Caller', Email: 'mine@example.test' });

      const error = await kit.caught(client.updateContact(contactId, { email: 'taken@example.test' }));

      expect(error.code).toBe(SalesforceErrorCode.DUPLICATES_DETECTED);
      expect(error.retryable).toBe(false);
      expect(error.salesforceCode).toBe('DUPLICATES_DETECTED');
      expect(error.message).toContain('duplicate rule: Contact_Email_Rule');
      expect(error.message).not.toContain('taken@example.test');
      expect(fake.record('Contact', contactId)?.Email).toBe('mine@example.test');
    });

    it('should save past an alerting duplicate rule with SALESFORCE_DUPLICATE_RULE_ALLOW_SAVE, but not past a blocking one', async () => {
      const { fake, client } = await kit.startClientHarness({
        fake: { duplicateRules: [{ ...emailRule, action: 'alert' }] },
        env: { SALESFORCE_DUPLICATE_RULE_ALLOW_SAVE: 'true' },
      });
      fake.insert('Contact', { LastName: 'Owner', Email: 'taken@example.test' });
      const contactId = fake.insert('Contact', { LastName: 'Caller' });

      await client.updateContact(contactId, { email: 'taken@example.test' });
      expect(fake.record('Contact', contactId)?.Email).toBe('taken@example.test');

      fake.duplicateRules.set([{ ...emailRule, action: 'block' }]);
      const other = fake.insert('Contact', { LastName: 'Other' });
      const blocked = await kit.caught(client.updateContact(other, { email: 'taken@example.test' }));
      expect(blocked.code).toBe(SalesforceErrorCode.DUPLICATES_DETECTED);
    });

    it('should send the duplicate-rule header inside /composite writes too', async () => {
      const { fake, client } = await kit.startClientHarness({
        fake: {
          duplicateRules: [
            { name: 'Case_Subject_Rule', object: 'Case', fields: ['Subject'], action: 'alert' },
          ],
        },
        env: { SALESFORCE_DUPLICATE_RULE_ALLOW_SAVE: 'true' },
      });
      fake.insert('Case', { Subject: 'Printer on fire' });

      const created = await client.createCase({
        idempotencyKey: 'call-1:abc',
        issueType: 'technical',
        subject: 'Printer on fire',
        description: 'Smoke from tray two',
      });

      expect(fake.record('Case', created.id)?.Subject).toBe('Printer on fire');
    });
  });
});
