import * as kit from '../../test/support/salesforce-client-harness';

kit.useClientHarnesses();

const statuses = (results: { check: string; status: string }[]) =>
  results.map((result) => [result.check, result.status]);

describe('SalesforceRestClient.checkSetup against the Salesforce fake', () => {
  it('should pass every step of a working org and recognise a known caller', async () => {
    const { fake, client } = await kit.startClientHarness();
    fake.insert('Contact', { FirstName: 'Jane', LastName: 'Doe', Phone: '(415) 555-0100' });

    const results = await client.checkSetup({ callerPhone: '+14155550100' });

    expect(statuses(results)).toEqual([
      [expect.stringMatching(/^token \(client_credentials at http/), 'pass'],
      ['API version 62.0', 'pass'],
      ['objects, fields, rights and picklist values we write', 'pass'],
      ['Contacts visible to the integration user', 'pass'],
      ['the caller given with --caller', 'pass'],
    ]);
  });

  it('should name the variables to check when the token is refused, and stop there', async () => {
    const { client } = await kit.startClientHarness({
      env: { SALESFORCE_CLIENT_SECRET: 'a-wrong-secret-000' },
    });

    const [token, ...rest] = await client.checkSetup();

    expect(token).toMatchObject({
      status: 'fail',
      fix: 'check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET',
    });
    expect(`${token.detail} ${token.fix}`).not.toContain('a-wrong-secret-000');
    expect(statuses(rest)).toEqual([['the org', 'skip']]);
  });

  it('should fail an API version the org does not serve', async () => {
    const { client } = await kit.startClientHarness({ fake: { apiVersions: ['61.0'] } });

    const results = await client.checkSetup();

    expect(results[1]).toMatchObject({
      check: 'API version 62.0',
      status: 'fail',
      fix: expect.stringContaining('SALESFORCE_API_VERSION'),
    });
  });

  it('should give each missing picklist value its fix, and fail an org whose Contacts the user cannot see', async () => {
    const { client } = await kit.startClientHarness({
      env: { SALESFORCE_CASE_TYPE_MAP: 'billing=Invoices' },
    });

    const results = await client.checkSetup();

    expect(results.filter((result) => result.status === 'fail')).toEqual([
      {
        check: 'Case.Type',
        status: 'fail',
        detail: 'picklist value "Invoices" missing or inactive',
        fix: expect.stringMatching(
          /add the active value "Invoices" in Setup .*, or set SALESFORCE_CASE_TYPE_MAP/,
        ),
      },
      {
        check: 'Contacts visible to the integration user',
        status: 'fail',
        detail: expect.stringContaining('every caller would be "unknown"'),
        fix: expect.stringContaining('sharing'),
      },
    ]);
  });
});
