import { CallWorld, eventually, startCallWorld } from '../support/call-harness';
import { assistantRequestMessage, toolCallsMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

describe('a call (smoke)', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld();
  });
  afterAll(() => world.close());

  it('should greet Jane by name and open a case on her contact and account', async () => {
    const call = { id: 'call-smoke-1', customerNumber: '+14155550100' };
    const greeting = await postWebhook(world.app.url, assistantRequestMessage(call));
    expect(JSON.stringify(greeting.body)).toContain('Hi Jane');
    const reply = await postWebhook(
      world.app.url,
      toolCallsMessage(call, [
        {
          id: 'tc-smoke-1',
          name: 'createSalesforceCase',
          arguments: { issueType: 'billing', description: 'Charged twice' },
        },
      ]),
    );
    const result = (reply.body.results as { result: string }[])[0].result;
    expect(result).toMatch(
      /^I've opened case [\d ]+ for your billing issue\. I will also text you the case number\.$/,
    );
    const cases = world.salesforce
      .records('Case')
      .filter((record) => record.Description?.toString().startsWith('Charged twice'));
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      ContactId: world.org.contacts.jane,
      AccountId: world.org.accounts.acme,
      Type: 'Billing',
    });
    const sms = await eventually(() =>
      world.twilio.messages.find((message) => message.To === '+14155550100'),
    );
    expect(sms.Body).toContain(String(cases[0].CaseNumber));
  });
});
