import { startSalesforceFake, SalesforceFake } from './salesforce-fake';
import { apiClient, ApiClient } from './spec-helpers';

const V = '/services/data/v62.0';

let fake: SalesforceFake;
let api: ApiClient;

beforeEach(async () => {
  fake = await startSalesforceFake();
  api = await apiClient(fake);
});
afterEach(() => fake.close());

describe('/composite', () => {
  it('should create a Case and read its CaseNumber through a reference, as one API call', async () => {
    const contactId = fake.insert('Contact', { LastName: 'Doe' });
    const { status, body, headers } = await api.call('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: `${V}/sobjects/Case`,
          referenceId: 'refCase',
          body: { Subject: 'x', ContactId: contactId },
        },
        { method: 'GET', url: `${V}/sobjects/Case/@{refCase.id}?fields=CaseNumber`, referenceId: 'readCase' },
        {
          method: 'POST',
          url: `${V}/sobjects/CaseComment`,
          referenceId: 'refComment',
          body: { ParentId: '@{refCase.id}', CommentBody: 'Case @{readCase.CaseNumber} opened by phone' },
        },
      ],
    });
    expect(status).toBe(200);
    const [created, read, comment] = body.compositeResponse;
    expect(created).toMatchObject({ httpStatusCode: 201, referenceId: 'refCase', body: { success: true } });
    expect(read).toMatchObject({
      httpStatusCode: 200,
      body: { CaseNumber: expect.stringMatching(/^\d{8}$/) },
    });
    expect(comment.httpStatusCode).toBe(201);
    expect(fake.record('CaseComment', comment.body.id)).toMatchObject({
      ParentId: created.body.id,
      CommentBody: `Case ${read.body.CaseNumber} opened by phone`,
    });
    expect(headers.get('sforce-limit-info')).toBe('api-usage=1/100000');
    expect(fake.stats.apiRequests.composite).toBe(1);
  });

  it('should resolve records[0] references into a query result', async () => {
    fake.insert('Account', { Name: 'Acme', AccountNumber: 'A-1' });
    const { body } = await api.call('POST', '/composite', {
      compositeRequest: [
        {
          method: 'GET',
          url: `${V}/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE AccountNumber = 'A-1'")}`,
          referenceId: 'acct',
        },
        {
          method: 'POST',
          url: `${V}/sobjects/Case`,
          referenceId: 'refCase',
          body: { AccountId: '@{acct.records[0].Id}' },
        },
      ],
    });
    expect(body.compositeResponse[1].httpStatusCode).toBe(201);
    expect(fake.records('Case')[0].AccountId).toBe(fake.records('Account')[0].Id);
  });

  it('should roll everything back with allOrNone and report the rest as PROCESSING_HALTED', async () => {
    const { status, body } = await api.call('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'a', body: { Name: 'Kept?' } },
        { method: 'POST', url: `${V}/sobjects/Case`, referenceId: 'bad', body: { Type: 'Nonsense' } },
        { method: 'POST', url: `${V}/sobjects/Contact`, referenceId: 'c', body: { LastName: 'Never' } },
      ],
    });
    expect(status).toBe(200);
    expect(
      body.compositeResponse.map((r: { httpStatusCode: number; body: { errorCode: string }[] }) => [
        r.httpStatusCode,
        r.body[0].errorCode,
      ]),
    ).toEqual([
      [400, 'PROCESSING_HALTED'],
      [400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'],
      [400, 'PROCESSING_HALTED'],
    ]);
    expect(fake.records('Account')).toEqual([]);
    expect(fake.records('Contact')).toEqual([]);
  });

  it('should keep independent successes without allOrNone and halt only dependent subrequests', async () => {
    const { body } = await api.call('POST', '/composite', {
      allOrNone: false,
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Case`, referenceId: 'bad', body: { Subject: 'x'.repeat(300) } },
        { method: 'GET', url: `${V}/sobjects/Case/@{bad.id}`, referenceId: 'dependent' },
        { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'ok', body: { Name: 'Kept' } },
      ],
    });
    expect(body.compositeResponse.map((r: { httpStatusCode: number }) => r.httpStatusCode)).toEqual([
      400, 400, 201,
    ]);
    expect(body.compositeResponse[1].body[0].errorCode).toBe('PROCESSING_HALTED');
    expect(fake.records('Account')).toHaveLength(1);
  });

  it('should resolve a reference inside the SOQL of a later query, and halt it alone when it finds nothing', async () => {
    const contactId = fake.insert('Contact', { LastName: 'Doe', Phone: '(415) 555-1212' });
    fake.insert('Case', { Subject: 'Open', ContactId: contactId });
    const query = (soql: string) => `${V}/query?q=${encodeURIComponent(soql)}`;
    const casesOf = (ref: string) =>
      `${V}/query?q=${encodeURIComponent("SELECT Id, Subject FROM Case WHERE ContactId = '")}@{${ref}.records[0].Id}${encodeURIComponent("'")}`;
    const { body } = await api.call('POST', '/composite', {
      allOrNone: false,
      compositeRequest: [
        {
          method: 'GET',
          url: query("SELECT Id FROM Contact WHERE Phone LIKE '%4%1%5%'"),
          referenceId: 'found',
        },
        { method: 'GET', url: query("SELECT Id FROM Contact WHERE Phone = 'nobody'"), referenceId: 'none' },
        { method: 'GET', url: casesOf('found'), referenceId: 'cases' },
        { method: 'GET', url: casesOf('none'), referenceId: 'noCases' },
      ],
    });
    const [found, none, cases, noCases] = body.compositeResponse;
    expect([found.httpStatusCode, none.httpStatusCode, cases.httpStatusCode]).toEqual([200, 200, 200]);
    expect(none.body).toMatchObject({ totalSize: 0, records: [] });
    expect(cases.body.records).toEqual([expect.objectContaining({ Subject: 'Open' })]);
    expect(noCases).toMatchObject({
      httpStatusCode: 400,
      body: [{ errorCode: 'PROCESSING_HALTED', message: expect.stringContaining('none.records[0].Id') }],
    });
    expect(fake.stats.apiRequests.composite).toBe(1);
  });

  it('should not run a Search subrequest, which /composite does not support', async () => {
    fake.insert('Contact', { LastName: 'Doe', Phone: '4155551212' });
    const { status, body } = await api.call('POST', '/composite', {
      compositeRequest: [
        {
          method: 'GET',
          url: `${V}/search?q=${encodeURIComponent('FIND {4155551212} IN PHONE FIELDS RETURNING Contact(Id)')}`,
          referenceId: 'search',
        },
      ],
    });
    expect(status).toBe(200);
    expect(body.compositeResponse[0]).toMatchObject({
      httpStatusCode: 404,
      body: [{ errorCode: 'NOT_FOUND' }],
    });
  });

  it('should refuse more than 5 query subrequests', async () => {
    const compositeRequest = Array.from({ length: 6 }, (_, i) => ({
      method: 'GET',
      url: `${V}/query?q=${encodeURIComponent('SELECT Id FROM Account')}`,
      referenceId: `q${i}`,
    }));
    const { status, body } = await api.call('POST', '/composite', { compositeRequest });
    expect(status).toBe(400);
    expect(body[0].errorCode).toBe('INVALID_API_INPUT');
    const five = await api.call('POST', '/composite', { compositeRequest: compositeRequest.slice(0, 5) });
    expect(five.status).toBe(200);
  });

  it('should refuse more than 25 subrequests', async () => {
    const compositeRequest = Array.from({ length: 26 }, (_, i) => ({
      method: 'GET',
      url: `${V}/limits`,
      referenceId: `r${i}`,
    }));
    const { status } = await api.call('POST', '/composite', { compositeRequest });
    expect(status).toBe(400);
  });
});

describe('/composite/sobjects', () => {
  const task = (fields: Record<string, unknown>) => ({
    attributes: { type: 'Task' },
    Subject: 'Call',
    ...fields,
  });

  it('should save valid records and report failures in order (partial success)', async () => {
    const { status, body, headers } = await api.call('POST', '/composite/sobjects', {
      allOrNone: false,
      records: [task({ CallObject: 'c1' }), task({ CallType: 'Sideways' }), task({ CallObject: 'c3' })],
    });
    expect(status).toBe(200);
    expect(body).toEqual([
      { id: expect.stringMatching(/^00T/), success: true, errors: [] },
      {
        success: false,
        errors: [
          {
            statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            message: expect.any(String),
            fields: ['CallType'],
          },
        ],
      },
      { id: expect.stringMatching(/^00T/), success: true, errors: [] },
    ]);
    expect(fake.records('Task').map((t) => t.CallObject)).toEqual(['c1', 'c3']);
    expect(headers.get('sforce-limit-info')).toBe('api-usage=1/100000');
  });

  it('should roll back every record with allOrNone when one fails', async () => {
    const { body } = await api.call('POST', '/composite/sobjects', {
      allOrNone: true,
      records: [task({}), task({ Description: 'x'.repeat(32_001) })],
    });
    expect(body[0]).toEqual({
      success: false,
      errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })],
    });
    expect(body[1].errors[0].statusCode).toBe('STRING_TOO_LONG');
    expect(fake.records('Task')).toEqual([]);
  });

  it('should accept 200 records and refuse 201 with 400', async () => {
    const ok = await api.call('POST', '/composite/sobjects', {
      records: Array.from({ length: 200 }, () => task({})),
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toHaveLength(200);
    const tooMany = await api.call('POST', '/composite/sobjects', {
      records: Array.from({ length: 201 }, () => task({})),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
    expect(fake.records('Task')).toHaveLength(200);
  });
});
