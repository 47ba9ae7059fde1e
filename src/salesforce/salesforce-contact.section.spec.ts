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
  });
});
