import { SfApiError } from './fake-errors';
import { startSalesforceFake, SalesforceFake } from './salesforce-fake';
import fc from 'fast-check';
import { likeMatcher } from './soql-engine';
import { SoqlParser } from './soql-parser';
import { apiClient, ApiClient } from './spec-helpers';

function parseError(soql: string): string | undefined {
  try {
    SoqlParser.parseQuery(soql);
    return undefined;
  } catch (error) {
    return error instanceof SfApiError ? error.items[0].errorCode : String(error);
  }
}

describe('SOQL parser', () => {
  it.each([
    'SELECT Id FROM Account',
    "SELECT Id, Name, AccountNumber FROM Account WHERE AccountNumber = 'ACME-1001' LIMIT 2",
    "select id from case where casenumber = '00001000'",
    'SELECT Id, Contact.Name, Account.AccountNumber FROM Case WHERE IsClosed = false ORDER BY CreatedDate DESC LIMIT 5',
    "SELECT Id FROM Case WHERE (Status = 'New' OR Status = 'Working') AND Priority != 'Low'",
    "SELECT Id FROM Case WHERE NOT Status = 'Closed'",
    "SELECT Id, CallObject FROM Task WHERE CallObject IN ('a', 'b', 'c')",
    "SELECT Id FROM Task WHERE CallObject NOT IN ('a')",
    "SELECT Id FROM Case WHERE Subject LIKE '%[vc:k\\_1]%' AND CreatedDate >= 2026-11-24T10:00:00Z",
    'SELECT Id FROM Case WHERE CreatedDate = LAST_N_DAYS:7 AND ClosedDate = null',
    'SELECT Id FROM Task WHERE ActivityDate = TODAY OR ActivityDate < 2026-01-01',
    'SELECT Id FROM Case ORDER BY Priority ASC NULLS LAST, CreatedDate DESC NULLS FIRST LIMIT 10 OFFSET 5',
    'SELECT Id FROM Task WHERE CallDurationInSeconds >= 60 AND CallDurationInSeconds <> -1',
    "SELECT Id FROM Contact WHERE LastName = 'O\\'Brien\\\\ \\n\\u00e9'",
  ])('should accept %s', (soql) => {
    expect(parseError(soql)).toBeUndefined();
  });

  it.each([
    ['an empty field list', 'SELECT FROM Account'],
    ['a missing FROM', 'SELECT Id Account'],
    [
      'AND and OR mixed without parentheses',
      "SELECT Id FROM Case WHERE Status = 'New' AND Priority = 'High' OR Type = 'Billing'",
    ],
    ['an aggregate function', 'SELECT COUNT() FROM Case'],
    ['a subquery', 'SELECT Id, (SELECT Id FROM Contacts) FROM Account'],
    ['GROUP BY', 'SELECT Status FROM Case GROUP BY Status'],
    ['a double-quoted string', 'SELECT Id FROM Account WHERE Name = "Acme"'],
    ['an unterminated string', "SELECT Id FROM Account WHERE Name = 'Acme"],
    ['an unknown escape', "SELECT Id FROM Account WHERE Name = 'a\\qb'"],
    ['a bind variable', 'SELECT Id FROM Account WHERE Name = :name'],
    ['trailing garbage', "SELECT Id FROM Account WHERE Name = 'a' 'b'"],
    ['a negative LIMIT', 'SELECT Id FROM Account LIMIT -1'],
    ['clauses out of order', 'SELECT Id FROM Account LIMIT 1 WHERE Name = null'],
    ['an impossible date', 'SELECT Id FROM Task WHERE ActivityDate = 2026-02-30'],
    ['a semicolon', 'SELECT Id FROM Account;'],
  ])('should reject %s as MALFORMED_QUERY', (_name, soql) => {
    expect(parseError(soql)).toBe('MALFORMED_QUERY');
  });
});

describe('SOQL queries', () => {
  let fake: SalesforceFake;
  let api: ApiClient;

  beforeEach(async () => {
    fake = await startSalesforceFake();
    api = await apiClient(fake);
  });
  afterEach(() => fake.close());

  it('should treat a value containing quote tricks as a literal, not as SOQL', async () => {
    fake.insert('Account', { Name: 'Acme' });
    fake.insert('Account', { Name: "x' OR Name != '" });
    const injected = await api.query("SELECT Id FROM Account WHERE Name = 'x\\' OR Name != \\''");
    expect(injected.status).toBe(200);
    expect(injected.body.totalSize).toBe(1);
    const unescaped = await api.query("SELECT Id FROM Account WHERE Name = 'x' OR Name != ''");
    expect(unescaped.body.totalSize).toBe(2);
  });

  it('should compare text case-insensitively and return canonical field names with nested relationships', async () => {
    const accountId = fake.insert('Account', { Name: 'Acme', AccountNumber: 'ACME-1' });
    const contactId = fake.insert('Contact', { FirstName: 'Jane', LastName: 'Doe', AccountId: accountId });
    fake.insert('Case', { Subject: 'Printer', ContactId: contactId });
    fake.insert('Case', { Subject: 'No contact' });
    const { status, body } = await api.query(
      "SELECT id, contact.name, Account.AccountNumber FROM case WHERE subject = 'PRINTER'",
    );
    expect(status).toBe(200);
    expect(body.totalSize).toBe(1);
    expect(body.records[0]).toEqual({
      attributes: {
        type: 'Case',
        url: expect.stringMatching(/^\/services\/data\/v62\.0\/sobjects\/Case\/500\w{15}$/),
      },
      Id: expect.any(String),
      Contact: { attributes: { type: 'Contact', url: expect.any(String) }, Name: 'Jane Doe' },
      // The Case took the Contact's Account (help `cases_fields`).
      Account: { attributes: { type: 'Account', url: expect.any(String) }, AccountNumber: 'ACME-1' },
    });
    const orphan = await api.query("SELECT Contact.Name FROM Case WHERE Subject = 'No contact'");
    expect(orphan.body.records[0].Contact).toBeNull();
  });

  it('should filter, order, limit and offset', async () => {
    const contactId = fake.insert('Contact', { LastName: 'Doe' });
    const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}T10:00:00.000Z`;
    fake.insert('Case', { Subject: 'a', Status: 'New', ContactId: contactId, CreatedDate: day(1) });
    fake.insert('Case', { Subject: 'b', Status: 'Closed', ContactId: contactId, CreatedDate: day(2) });
    fake.insert('Case', { Subject: 'c', Status: 'Working', ContactId: contactId, CreatedDate: day(3) });
    fake.insert('Case', { Subject: 'd', Status: 'Escalated', ContactId: contactId, CreatedDate: day(4) });
    const { body } = await api.query(
      `SELECT Subject FROM Case WHERE ContactId = '${contactId.slice(0, 15)}' AND IsClosed = false ORDER BY CreatedDate DESC LIMIT 2 OFFSET 1`,
    );
    expect(body.records.map((r: { Subject: string }) => r.Subject)).toEqual(['c', 'a']);
    const since = await api.query(
      'SELECT Subject FROM Case WHERE CreatedDate > 2026-11-02T10:00:00Z ORDER BY Subject',
    );
    expect(since.body.records.map((r: { Subject: string }) => r.Subject)).toEqual(['c', 'd']);
  });

  it('should find records by Id and by a reference id as it is now, after the reference changed', async () => {
    const jane = fake.insert('Contact', { LastName: 'Jane' });
    const john = fake.insert('Contact', { LastName: 'John' });
    const caseId = fake.insert('Case', { Subject: 'moved', ContactId: jane });
    fake.insert('Case', { Subject: 'stays', ContactId: jane });
    expect((await api.call('PATCH', `/sobjects/Case/${caseId}`, { ContactId: john })).status).toBe(204);
    const subjects = async (soql: string) =>
      ((await api.query(soql)).body.records as { Subject: string }[]).map((r) => r.Subject);
    expect(await subjects(`SELECT Subject FROM Case WHERE ContactId = '${jane}'`)).toEqual(['stays']);
    expect(
      await subjects(
        `SELECT Subject FROM Case WHERE ContactId = '${john.slice(0, 15)}' AND IsClosed = false`,
      ),
    ).toEqual(['moved']);
    expect(await subjects(`SELECT Subject FROM Case WHERE Id = '${caseId.slice(0, 15)}'`)).toEqual(['moved']);
    expect(await subjects(`SELECT Subject FROM Case WHERE Id = '${jane}'`)).toEqual([]);
  });

  it('should find by phone digits in order exactly what a scan finds, before and after the index is built', async () => {
    // Phones as people type them, some with a country code or an extension; the lookup's LIKE of digits.
    const phone = fc
      .array(fc.constantFrom('0', '1', '4', '5', '5', ' ', '-', '(', ')', '+', 'x'), {
        minLength: 3,
        maxLength: 16,
      })
      .map((chars) => chars.join(''));
    const phones = fc.sample(phone, { numRuns: 120, seed: 7 });
    const insertAll = (batch: string[]) =>
      batch.map((value, n) => ({
        id: fake.insert('Contact', {
          LastName: `P${n}`,
          Phone: value,
          MobilePhone: n % 3 === 0 ? (batch[n + 1] ?? null) : null,
        }),
        phones: [value, n % 3 === 0 ? (batch[n + 1] ?? '') : ''],
      }));
    const contacts = insertAll(phones.slice(0, 80));
    const digitsOf = (value: string) => value.replace(/\D/g, '');
    const pattern = fc.oneof(
      fc.constantFrom(...phones.map(digitsOf).filter((digits) => digits.length > 0)),
      fc.array(fc.constantFrom('0', '1', '4', '5'), { minLength: 1, maxLength: 8 }).map((d) => d.join('')),
    );
    const check = async (digits: string) => {
      const like = `'%${digits.split('').join('%')}%'`;
      const { body } = await api.query(
        `SELECT Id FROM Contact WHERE Phone LIKE ${like} OR MobilePhone LIKE ${like}`,
      );
      const matcher = likeMatcher({ likeSource: '', likeParts: ['', ...digits.split(''), ''] });
      const expected = contacts
        .filter((c) => c.phones.some((value) => value !== '' && matcher(value)))
        .map((c) => c.id);
      expect((body.records as { Id: string }[]).map((r) => r.Id).sort()).toEqual(expected.sort());
    };
    await fc.assert(fc.asyncProperty(pattern, check), { numRuns: 60, seed: 11 });
    // Records written after the index exists are found too.
    contacts.push(...insertAll(phones.slice(80)));
    await fc.assert(fc.asyncProperty(pattern, check), { numRuns: 60, seed: 12 });
  });

  it('should match LIKE with % and _ wildcards, and escaped ones literally', async () => {
    fake.insert('Case', { Subject: 'Call [vc:k_1] note' });
    fake.insert('Case', { Subject: 'Call [vc:kx1] note' });
    const wildcard = await api.query("SELECT Id FROM Case WHERE Subject LIKE '%[vc:k_1]%'");
    expect(wildcard.body.totalSize).toBe(2);
    const literal = await api.query("SELECT Id FROM Case WHERE Subject LIKE '%[VC:K\\_1]%'");
    expect(literal.body.totalSize).toBe(1);
  });

  it('should evaluate TODAY and LAST_N_DAYS against the fake clock', async () => {
    const now = fake.now();
    fake.insert('Task', { Subject: 'today', ActivityDate: new Date(now).toISOString().slice(0, 10) });
    fake.insert('Task', {
      Subject: 'old',
      ActivityDate: new Date(now - 30 * 86_400_000).toISOString().slice(0, 10),
    });
    expect((await api.query('SELECT Id FROM Task WHERE ActivityDate = TODAY')).body.totalSize).toBe(1);
    expect((await api.query('SELECT Id FROM Task WHERE ActivityDate = LAST_N_DAYS:7')).body.totalSize).toBe(
      1,
    );
    expect((await api.query('SELECT Id FROM Task WHERE ActivityDate = LAST_N_DAYS:31')).body.totalSize).toBe(
      2,
    );
  });

  it.each([
    ['an unknown field', 'INVALID_FIELD', 'SELECT Foo FROM Case', /No such column 'Foo' on entity 'Case'/],
    [
      'an unknown relationship',
      'INVALID_FIELD',
      'SELECT Owner.Name FROM Case',
      /Didn't understand relationship 'Owner'/,
    ],
    [
      'an unknown object',
      'INVALID_TYPE',
      'SELECT Id FROM Opportunity',
      /sObject type 'Opportunity' is not supported/,
    ],
    [
      'a filter on a long text area',
      'INVALID_FIELD',
      "SELECT Id FROM Case WHERE Description = 'x'",
      /can not be filtered/,
    ],
    [
      'a filter on CommentBody',
      'INVALID_FIELD',
      "SELECT Id FROM CaseComment WHERE CommentBody LIKE '%x%'",
      /can not be filtered/,
    ],
    [
      'a quoted boolean',
      'INVALID_FIELD',
      "SELECT Id FROM Case WHERE IsClosed = 'false'",
      /must be of type boolean/,
    ],
    [
      'an unquoted string',
      'INVALID_FIELD',
      'SELECT Id FROM Case WHERE Subject = 5',
      /must be of type string/,
    ],
    [
      'a malformed id',
      'INVALID_QUERY_FILTER_OPERATOR',
      "SELECT Id FROM Case WHERE Id = 'nope'",
      /invalid ID field/,
    ],
    ['a syntax error', 'MALFORMED_QUERY', 'SELECT Id FROM Case WHERE', /unexpected token/],
  ])('should answer %s with 400 %s', async (_name, code, soql, message) => {
    const { status, body } = await api.query(soql);
    expect(status).toBe(400);
    expect(body[0].errorCode).toBe(code);
    expect(body[0].message).toMatch(message);
  });
});

describe('LIKE without _', () => {
  it('should match exactly what the equivalent regex matches, case-insensitively', () => {
    const text = (alphabet: string[]) =>
      fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text(['a', 'B', '5', '%']), text(['a', 'b', 'A', '5', '-']), (pattern, value) => {
        const likeSource = pattern.replace(/%/g, '.*');
        const expected = new RegExp(`^${likeSource}$`, 'is').test(value);
        expect(likeMatcher({ likeSource, likeParts: pattern.split('%') })(value)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });
});
