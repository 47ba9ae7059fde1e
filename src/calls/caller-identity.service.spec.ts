import { PhoneNumbers } from '../common/phone-numbers';
import { FakeSalesforceClient } from '../../test/support/fake-salesforce.client';
import { CallerIdentityService } from './caller-identity.service';
import { callsConfig, CallsConfig } from './calls.config';

function service(salesforce: FakeSalesforceClient, budgetMs = 50) {
  const config: CallsConfig = { ...callsConfig(), callerLookupBudgetMs: budgetMs };
  return new CallerIdentityService(salesforce, new PhoneNumbers('US'), config);
}

describe('CallerIdentityService', () => {
  it('should ask Salesforce once when a tool needs the caller while the greeting lookup still runs', async () => {
    const salesforce = new FakeSalesforceClient();
    salesforce.contacts.push({ id: '003A', firstName: 'Jane', lastName: 'Doe', phones: ['+14155550100'] });
    let release!: () => void;
    salesforce.gate = new Promise<void>((resolve) => (release = resolve));
    const identities = service(salesforce);

    const greeting = identities.identify('+14155550100');
    // The greeting gave up waiting: the caller hears a generic greeting…
    expect((await greeting.withinBudget).complete).toBe(false);
    // …and a tool call of the same call asks again while the first request is still out.
    const tool = identities.identify('+14155550100');
    release();

    expect((await tool.eventual).identity).toMatchObject({ kind: 'identified', contactId: '003A' });
    expect((await greeting.eventual).identity).toMatchObject({ kind: 'identified', contactId: '003A' });
    expect(salesforce.apiCalls).toBe(1);
  });

  it('should ask again once the earlier lookup has finished (answers are kept on the call, not here)', async () => {
    const salesforce = new FakeSalesforceClient();
    const identities = service(salesforce);

    await identities.identify('+14155550100').eventual;
    await identities.identify('+14155550100').eventual;

    expect(salesforce.apiCalls).toBe(2);
  });

  it('should read the open cases of an identified caller in the same request', async () => {
    const salesforce = new FakeSalesforceClient();
    salesforce.contacts.push({ id: '003A', firstName: 'Jane', lastName: 'Doe', phones: ['+14155550100'] });
    await salesforce.createCase({
      idempotencyKey: 'k1',
      issueType: 'billing',
      subject: 'Double charge',
      description: 'Charged twice',
      contactId: '003A',
    });
    const before = salesforce.apiCalls;

    const found = await service(salesforce, 1_000).identify('+14155550100').withinBudget;

    expect(found.openCases.map((record) => record.subject)).toEqual(['Double charge']);
    expect(salesforce.apiCalls - before).toBe(1);
  });
});
