import * as kit from '../../test/support/salesforce-client-harness';

kit.useClientHarnesses();

describe('SalesforceRestClient against the Salesforce fake', () => {
  describe('caller identification', () => {
    it.each(['(415) 555-1212', '415.555.1212', '+1 415 555 1212', '1-415-555-1212'])(
      'should identify a contact whose phone is stored as %s',
      async (stored) => {
        const { fake, client } = await kit.startClientHarness();
        const accountId = fake.insert('Account', { Name: 'Acme', AccountNumber: 'A-1' });
        const contactId = fake.insert('Contact', {
          FirstName: 'Jane',
          LastName: 'Doe',
          Phone: stored,
          AccountId: accountId,
        });

        const match = await client.findCallerByPhone('+14155551212');

        expect(match).toMatchObject({
          kind: 'identified',
          contact: { id: contactId, firstName: 'Jane', lastName: 'Doe', accountId },
          account: { id: accountId, name: 'Acme', accountNumber: 'A-1' },
        });
      },
    );

    it("should return the contact's numbers on file in E.164 form", async () => {
      const { fake, client } = await kit.startClientHarness();
      fake.insert('Contact', { LastName: 'Both', Phone: '(415) 555-3434', MobilePhone: '510.555.7878' });
      fake.insert('Contact', { LastName: 'Landline', Phone: '415 555 5656', MobilePhone: 'ask reception' });

      expect(await client.findCallerByPhone('+14155553434')).toMatchObject({
        contact: { phone: '+14155553434', mobilePhone: '+15105557878' },
      });
      const landline = await client.findCallerByPhone('+14155555656');
      expect(landline).toMatchObject({ contact: { phone: '+14155555656' } });
      expect(landline.kind === 'identified' && landline.contact.mobilePhone).toBeUndefined();
    });

    it('should find a contact created moments ago, before the search index has it', async () => {
      const { fake, client } = await kit.startClientHarness({ fake: { searchIndexLagMs: 120_000 } });
      const contactId = fake.insert('Contact', { LastName: 'New', MobilePhone: '415-555-0199' });

      expect(await client.findCallerByPhone('+14155550199')).toMatchObject({
        kind: 'identified',
        contact: { id: contactId },
      });
    });

    it('should report several distinct contacts as ambiguous, and a lone account phone as the account', async () => {
      const { fake, client } = await kit.startClientHarness();
      fake.insert('Contact', { LastName: 'One', Phone: '(212) 555-0100' });
      fake.insert('Contact', { LastName: 'Two', MobilePhone: '+1 212 555 0100' });
      const accountId = fake.insert('Account', { Name: 'Shop', Phone: '212-555-0177' });

      expect(await client.findCallerByPhone('+12125550100')).toEqual({ kind: 'ambiguous', candidates: 2 });
      expect(await client.findCallerByPhone('+12125550177')).toEqual({
        kind: 'account',
        account: { id: accountId, name: 'Shop', accountNumber: undefined },
      });
      expect(await client.findCallerByPhone('+12125550999')).toEqual({ kind: 'unidentified' });
    });

    it('should read the caller and their open cases in one API call, most recent first', async () => {
      const { fake, client } = await kit.startClientHarness();
      const contactId = fake.insert('Contact', {
        FirstName: 'Jane',
        LastName: 'Doe',
        Phone: '(415) 555-1212',
      });
      fake.insert('Case', { Subject: 'Old', ContactId: contactId, CreatedDate: '2026-01-01T00:00:00.000Z' });
      fake.insert('Case', { Subject: 'Closed', ContactId: contactId, Status: 'Closed' });
      fake.insert('Case', { Subject: 'New', ContactId: contactId, CreatedDate: '2026-02-01T00:00:00.000Z' });
      const before = fake.stats.apiCallsCounted;

      const found = await client.findCallerWithOpenCases('+14155551212', 3);

      expect(found.match).toMatchObject({ kind: 'identified', contact: { id: contactId } });
      expect(found.openCases.map((record) => record.subject)).toEqual(['New', 'Old']);
      expect(fake.stats.apiCallsCounted - before).toBe(1);
      expect(fake.stats.apiRequests.search).toBe(0);
    });

    it('should answer an unknown number with one API call and no fallback request', async () => {
      const { fake, client } = await kit.startClientHarness({ fake: { searchIndexLagMs: 120_000 } });
      const before = fake.stats.apiCallsCounted;

      expect(await client.findCallerWithOpenCases('+14155550000', 3)).toEqual({
        match: { kind: 'unidentified' },
        openCases: [],
      });
      expect(fake.stats.apiCallsCounted - before).toBe(1);
    });

    it('should find a contact not yet in the search index, with its cases, in one API call', async () => {
      const { fake, client } = await kit.startClientHarness({ fake: { searchIndexLagMs: 120_000 } });
      const contactId = fake.insert('Contact', { LastName: 'New', MobilePhone: '415-555-0199' });
      fake.insert('Case', { Subject: 'Just opened', ContactId: contactId });
      const before = fake.stats.apiCallsCounted;

      const found = await client.findCallerWithOpenCases('+14155550199', 3);

      expect(found.match).toMatchObject({ kind: 'identified', contact: { id: contactId } });
      expect(found.openCases.map((record) => record.subject)).toEqual(['Just opened']);
      expect(fake.stats.apiCallsCounted - before).toBe(1);
    });

    it("should read the matched contact's cases, not those of a look-alike number read first", async () => {
      const { fake, client } = await kit.startClientHarness();
      const contactId = fake.insert('Contact', { LastName: 'Real', Phone: '(415) 555-1212' });
      fake.insert('Case', { Subject: 'Mine', ContactId: contactId });
      // The same digits in order, but another number; modified last, so the first row of the query.
      const otherId = fake.insert('Contact', {
        LastName: 'Other',
        Phone: '(415) 555-1213, desk 2',
        LastModifiedDate: new Date(Date.now() + 60_000).toISOString(),
      });
      fake.insert('Case', { Subject: 'Not mine', ContactId: otherId });

      const found = await client.findCallerWithOpenCases('+14155551212', 3);

      expect(found.match).toMatchObject({ kind: 'identified', contact: { id: contactId } });
      expect(found.openCases.map((record) => record.subject)).toEqual(['Mine']);
    });

    it('should not match a number that only shares its last digits', async () => {
      const { fake, client } = await kit.startClientHarness({ fake: { searchIndexLagMs: 120_000 } });
      fake.insert('Contact', { LastName: 'Other', Phone: '(310) 555-1212' });

      expect(await client.findCallerByPhone('+14155551212')).toEqual({ kind: 'unidentified' });
    });
  });

  describe('injection', () => {
    it.each([
      "ACC-1' OR Name != '",
      "' OR AccountNumber != null OR AccountNumber = '",
      '\\',
      "%' OR Name LIKE '%",
    ])('should return nothing foreign for the account number %p', async (attack) => {
      const { fake, client } = await kit.startClientHarness();
      fake.insert('Account', { Name: 'Victim', AccountNumber: 'ACC-1' });

      expect(await client.findAccountByNumber(attack)).toBeNull();
    });

    it('should search only for the digits of a phone number, whatever else the caller id contains', async () => {
      const { fake, client, registry } = await kit.startClientHarness();
      fake.insert('Contact', { LastName: 'Victim', Phone: '(415) 555-1212' });

      expect(await client.findCallerByPhone('*} IN ALL FIELDS RETURNING Contact(Id) {*')).toEqual({
        kind: 'unidentified',
      });
      expect(await client.findCallerByPhone("+1 212 555 0100') OR Phone != ('")).toEqual({
        kind: 'unidentified',
      });
      expect(
        await kit.metricValue(registry, 'salesforce_requests_total', {
          operation: 'findCaller',
        }),
      ).toBeLessThanOrEqual(1);
    });
  });
});
