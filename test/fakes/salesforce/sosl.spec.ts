import { DemoOrgRecords, seedDemoOrg } from './demo-org';
import { startSalesforceFake, SalesforceFake } from './salesforce-fake';
import { parseSosl } from './sosl-parser';
import { apiClient, ApiClient } from './spec-helpers';

const RETURNING =
  'RETURNING Contact(Id, FirstName, LastName, AccountId, Phone, MobilePhone), Account(Id, Name, AccountNumber, Phone)';

/** The service escapes SOSL reserved characters with a backslash. */
function escapeTerm(term: string): string {
  return term.replace(/[?&|!{}[\]()^~*:\\"'+-]/g, (c) => `\\${c}`);
}

function phoneSearch(term: string): string {
  return `FIND {${escapeTerm(term)}} IN PHONE FIELDS ${RETURNING}`;
}

describe('SOSL parser', () => {
  it('should unescape the term and read scope, objects, fields and limits', () => {
    const search = parseSosl(
      'FIND {\\+1 \\(415\\) 555\\-0100} IN PHONE FIELDS RETURNING Contact(Id, Phone WHERE AccountId != null LIMIT 5), Account LIMIT 20',
    );
    expect(search.term).toBe('+1 (415) 555-0100');
    expect(search.scope).toBe('PHONE');
    expect(search.returning.map((r) => r.object)).toEqual(['Contact', 'Account']);
    expect(search.returning[0].limit).toBe(5);
    expect(search.limit).toBe(20);
  });
});

describe('SOSL search', () => {
  let fake: SalesforceFake;
  let api: ApiClient;

  afterEach(() => fake.close());

  describe('in the demo org', () => {
    let demo: DemoOrgRecords;

    beforeEach(async () => {
      fake = await startSalesforceFake({ seed: (seeder) => (demo = seedDemoOrg(seeder)) });
      api = await apiClient(fake);
    });

    it.each([
      ['(415) 555-0100', 'Jane'],
      ['415.555.0101', 'John'],
      ['+1 415 555 0102', 'Maria'],
      ['4155550103', 'Wei'],
    ])('should find the contact stored as %s from the caller number in E.164', async (_stored, firstName) => {
      const digits = { Jane: '0100', John: '0101', Maria: '0102', Wei: '0103' }[firstName as 'Jane'];
      const { status, body } = await api.search(phoneSearch(`+1415555${digits}`));
      expect(status).toBe(200);
      expect(body.searchRecords).toEqual([
        expect.objectContaining({
          attributes: expect.objectContaining({ type: 'Contact' }),
          FirstName: firstName,
        }),
      ]);
    });

    it('should search Knowledge article versions by the words of their rich text, every status unless filtered', async () => {
      const ids = async (where: string): Promise<string[]> => {
        const { body } = await api.search(
          `FIND {forgot OR password} IN ALL FIELDS RETURNING Knowledge__kav(Id, Title${where})`,
        );
        return (body.searchRecords as { Id: string }[]).map((record) => record.Id);
      };

      // API 47.0+ with Lightning Knowledge: drafts and archived versions come back too without a filter.
      expect(await ids('')).toEqual(
        expect.arrayContaining([
          demo.articles.passwordOnline,
          demo.articles.passwordDraft,
          demo.articles.passwordArchived,
        ]),
      );
      expect(await ids(" WHERE PublishStatus = 'Online' AND Language = 'en_US'")).toEqual([
        demo.articles.passwordOnline,
      ]);
    });

    it('should return both contacts that share a number', async () => {
      const { body } = await api.search(phoneSearch('+14155550104'));
      expect(
        body.searchRecords.map((r: { LastName: string; FirstName: string }) => r.FirstName).sort(),
      ).toEqual(['Alex', 'Sam']);
    });

    it('should match a mobile-only contact and an account phone', async () => {
      expect((await api.search(phoneSearch('4155550105'))).body.searchRecords[0].FirstName).toBe('Priya');
      const account = (await api.search(phoneSearch('+14155550199'))).body.searchRecords;
      expect(account).toEqual([
        expect.objectContaining({ Name: 'Acme Corporation', AccountNumber: 'ACME-1001' }),
      ]);
    });

    it('should find nothing for an unknown number or too few digits', async () => {
      expect((await api.search(phoneSearch('+14155559999'))).body.searchRecords).toEqual([]);
      expect((await api.search(phoneSearch('0100'))).body.searchRecords).toEqual([]);
    });

    it('should match names and emails with IN ALL FIELDS', async () => {
      const byName = await api.search('FIND {Morgan} IN ALL FIELDS RETURNING Contact(FirstName)');
      expect(byName.body.searchRecords).toHaveLength(2);
      const byEmail = await api.search(
        'FIND {jane.doe@acme.example} RETURNING Contact(LastName), Account(Name)',
      );
      expect(byEmail.body.searchRecords).toEqual([expect.objectContaining({ LastName: 'Doe' })]);
    });

    it('should apply WHERE inside RETURNING', async () => {
      const { body } = await api.search(
        `FIND {\\+14155550104} IN PHONE FIELDS RETURNING Contact(FirstName WHERE AccountId = '${demo.accounts.globex}')`,
      );
      expect(body.searchRecords.map((r: { FirstName: string }) => r.FirstName)).toEqual(['Alex']);
    });

    it.each([
      ['no braces', 'FIND 4155550100 IN PHONE FIELDS'],
      ['an unknown scope', 'FIND {4155550100} IN PHONES FIELDS'],
      ['an unescaped reserved character after the term', 'FIND {4155550100} RETURNING Contact(Id'],
      ['a one-character term', 'FIND {a}'],
      ['an invalid escape', 'FIND {\\q415}'],
    ])('should reject %s with MALFORMED_SEARCH', async (_name, sosl) => {
      const { status, body } = await api.search(sosl);
      expect(status).toBe(400);
      expect(body[0].errorCode).toBe('MALFORMED_SEARCH');
    });

    it('should reject an unknown object or field like SOQL does', async () => {
      expect((await api.search('FIND {4155550100} RETURNING Lead(Id)')).body[0].errorCode).toBe(
        'INVALID_TYPE',
      );
      expect((await api.search('FIND {4155550100} RETURNING Contact(Fax)')).body[0].errorCode).toBe(
        'INVALID_FIELD',
      );
    });
  });

  it('should not find a new record until the search index catches up, while SOQL finds it at once', async () => {
    fake = await startSalesforceFake({ searchIndexLagMs: 60_000 });
    api = await apiClient(fake);
    const created = await api.call('POST', '/sobjects/Contact', { LastName: 'New', Phone: '(212) 555-0111' });
    expect(created.status).toBe(201);
    expect((await api.search(phoneSearch('+12125550111'))).body.searchRecords).toEqual([]);
    expect((await api.query("SELECT Id FROM Contact WHERE Phone = '(212) 555-0111'")).body.totalSize).toBe(1);
    fake.advanceTime(60_000);
    expect((await api.search(phoneSearch('+12125550111'))).body.searchRecords).toHaveLength(1);
  });

  it('should keep matching the old indexed phone until a change is indexed', async () => {
    fake = await startSalesforceFake({ searchIndexLagMs: 60_000 });
    api = await apiClient(fake);
    const id = fake.insert('Contact', { LastName: 'Mover', Phone: '2125550120' });
    fake.advanceTime(60_000);
    await api.call('PATCH', `/sobjects/Contact/${id}`, { Phone: '2125550121' });
    expect((await api.search(phoneSearch('2125550120'))).body.searchRecords).toEqual([
      expect.objectContaining({ Phone: '2125550121' }),
    ]);
    fake.advanceTime(60_000);
    expect((await api.search(phoneSearch('2125550120'))).body.searchRecords).toEqual([]);
    expect((await api.search(phoneSearch('2125550121'))).body.searchRecords).toHaveLength(1);
  });
});
