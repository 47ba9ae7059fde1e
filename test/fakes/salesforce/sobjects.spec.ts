import { startSalesforceFake, SalesforceFake } from './salesforce-fake';
import { apiClient, ApiClient, clientCredentialsToken } from './spec-helpers';

let fake: SalesforceFake;
let api: ApiClient;

beforeEach(async () => {
  fake = await startSalesforceFake({
    caseExternalIdField: 'Voice_Call_Key__c',
    caseTypes: ['Billing', 'Technical'],
  });
  api = await apiClient(fake);
});
afterEach(() => fake.close());

describe('create, read, update, delete', () => {
  it('should create a Case with only {id, success, errors}, a CaseNumber and Status New', async () => {
    const created = await api.call('POST', '/sobjects/Case', { Subject: 'Printer on fire', Origin: 'Phone' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^500[A-Za-z0-9]{15}$/),
      success: true,
      errors: [],
    });
    expect(created.headers.get('sforce-limit-info')).toBe('api-usage=1/100000');
    const stored = fake.record('Case', created.body.id)!;
    expect(stored).toMatchObject({
      CaseNumber: expect.stringMatching(/^\d{8}$/),
      Status: 'New',
      IsClosed: false,
    });
    const read = await api.call('GET', `/sobjects/Case/${created.body.id}?fields=CaseNumber,Status`);
    expect(read.body).toEqual({
      attributes: { type: 'Case', url: `/services/data/v62.0/sobjects/Case/${created.body.id}` },
      CaseNumber: stored.CaseNumber,
      Status: 'New',
    });
  });

  it('should update with 204, derive IsClosed and ClosedDate, and delete with 204', async () => {
    const id = fake.insert('Case', { Subject: 'x' });
    expect((await api.call('PATCH', `/sobjects/Case/${id}`, { Status: 'Closed' })).status).toBe(204);
    expect(fake.record('Case', id)).toMatchObject({
      Status: 'Closed',
      IsClosed: true,
      ClosedDate: expect.any(String),
    });
    expect((await api.call('DELETE', `/sobjects/Case/${id}`)).status).toBe(204);
    const gone = await api.call('GET', `/sobjects/Case/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body[0].errorCode).toBe('NOT_FOUND');
  });

  it('should record whether Sforce-Auto-Assign: FALSE was sent on Case creation', async () => {
    const quiet = await api.call(
      'POST',
      '/sobjects/Case',
      { Subject: 'a' },
      { 'Sforce-Auto-Assign': 'FALSE' },
    );
    const assigned = await api.call('POST', '/sobjects/Case', { Subject: 'b' });
    expect(fake.assignmentRulesApplied(quiet.body.id)).toBe(false);
    expect(fake.assignmentRulesApplied(assigned.body.id)).toBe(true);
  });

  it('should store a ContentVersion with its document and link to the Task', async () => {
    const taskId = fake.insert('Task', { Subject: 'Call' });
    const created = await api.call('POST', '/sobjects/ContentVersion', {
      Title: 'Transcript',
      PathOnClient: 'transcript.txt',
      VersionData: Buffer.from('hello transcript').toString('base64'),
      FirstPublishLocationId: taskId,
    });
    expect(created.status).toBe(201);
    expect(fake.versionData(created.body.id)?.toString()).toBe('hello transcript');
    const version = await api.query(
      `SELECT ContentDocumentId FROM ContentVersion WHERE Id = '${created.body.id}'`,
    );
    const documentId = version.body.records[0].ContentDocumentId;
    expect(documentId).toMatch(/^069/);
    const links = await api.query(
      `SELECT LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = '${documentId}'`,
    );
    expect(links.body.records.map((l: { LinkedEntityId: string }) => l.LinkedEntityId)).toEqual([taskId]);
  });
});

describe('upsert by external id', () => {
  it('should create with 201 created:true, then update with 200 created:false', async () => {
    const first = await api.call('PATCH', '/sobjects/Case/Voice_Call_Key__c/call-1', { Subject: 'one' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.any(String), success: true, errors: [], created: true });
    const again = await api.call('PATCH', '/sobjects/Case/Voice_Call_Key__c/call-1', { Subject: 'two' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: first.body.id, success: true, errors: [], created: false });
    expect(fake.records('Case')).toEqual([
      expect.objectContaining({ Subject: 'two', Voice_Call_Key__c: 'call-1' }),
    ]);
  });

  it('should answer 404 for a field that is not an external id', async () => {
    const { status, body } = await api.call('PATCH', '/sobjects/Case/Subject/x', { Priority: 'Low' });
    expect(status).toBe(404);
    expect(body[0].errorCode).toBe('NOT_FOUND');
  });

  it('should refuse a duplicate external id on create with DUPLICATE_VALUE', async () => {
    fake.insert('Case', { Voice_Call_Key__c: 'KEY-1' });
    const { status, body } = await api.call('POST', '/sobjects/Case', { Voice_Call_Key__c: 'key-1' });
    expect(status).toBe(400);
    expect(body[0].errorCode).toBe('DUPLICATE_VALUE');
  });

  it('should refuse to update a createable-only field such as Task.TaskSubtype', async () => {
    const created = await api.call('POST', '/sobjects/Task', { Subject: 'Call', TaskSubtype: 'Call' });
    expect(created.status).toBe(201);
    const { status, body } = await api.call('PATCH', `/sobjects/Task/${created.body.id}`, {
      TaskSubtype: 'Task',
    });
    expect(status).toBe(400);
    expect(body[0]).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['TaskSubtype'] });
  });
});

describe('validation', () => {
  it.each([
    ['a missing LastName', 'Contact', { FirstName: 'Jane' }, 'REQUIRED_FIELD_MISSING', ['LastName']],
    ['a missing Account Name', 'Account', { Phone: '1' }, 'REQUIRED_FIELD_MISSING', ['Name']],
    [
      'a comment without ParentId',
      'CaseComment',
      { CommentBody: 'hi' },
      'REQUIRED_FIELD_MISSING',
      ['ParentId'],
    ],
    ['a Subject of 256 characters', 'Case', { Subject: 'x'.repeat(256) }, 'STRING_TOO_LONG', ['Subject']],
    [
      'a Description over 32,000 characters',
      'Task',
      { Description: 'x'.repeat(32_001) },
      'STRING_TOO_LONG',
      ['Description'],
    ],
    [
      'a Type outside the restricted picklist',
      'Case',
      { Type: 'billing' },
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      ['Type'],
    ],
    [
      'a CallType outside the restricted picklist',
      'Task',
      { CallType: 'Sideways' },
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      ['CallType'],
    ],
    [
      'a CaseNumber (read-only)',
      'Case',
      { CaseNumber: '1' },
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      ['CaseNumber'],
    ],
    ['a malformed lookup id', 'Case', { ContactId: 'not-an-id' }, 'MALFORMED_ID', ['ContactId']],
    [
      'a lookup to a missing record',
      'Case',
      { ContactId: '003000000000000AAA' },
      'INVALID_CROSS_REFERENCE_KEY',
      ['ContactId'],
    ],
    ['an invalid email', 'Contact', { LastName: 'Doe', Email: 'nope' }, 'INVALID_EMAIL_ADDRESS', ['Email']],
  ])('should refuse %s', async (_name, type, fields, code, errorFields) => {
    const { status, body } = await api.call('POST', `/sobjects/${type}`, fields);
    expect(status).toBe(400);
    expect(body).toEqual([{ errorCode: code, message: expect.any(String), fields: errorFields }]);
  });

  it('should refuse an unknown field with INVALID_FIELD', async () => {
    const { status, body } = await api.call('POST', '/sobjects/Case', { AccountNumber: 'ACME-1' });
    expect(status).toBe(400);
    expect(body[0]).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: "No such column 'AccountNumber' on sobject of type Case",
    });
  });

  it('should refuse a lookup to a record of the wrong type', async () => {
    const accountId = fake.insert('Account', { Name: 'Acme' });
    const { body } = await api.call('POST', '/sobjects/Case', { ContactId: accountId });
    expect(body[0].errorCode).toBe('INVALID_CROSS_REFERENCE_KEY');
  });

  it('should measure CommentBody in UTF-8 bytes, not characters', async () => {
    const parentId = fake.insert('Case', { Subject: 'x' });
    const fits = await api.call('POST', '/sobjects/CaseComment', {
      ParentId: parentId,
      CommentBody: 'é'.repeat(2000),
    });
    expect(fits.status).toBe(201);
    const tooLong = await api.call('POST', '/sobjects/CaseComment', {
      ParentId: parentId,
      CommentBody: 'é'.repeat(2001),
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body[0]).toMatchObject({ errorCode: 'STRING_TOO_LONG', fields: ['CommentBody'] });
  });

  it('should answer invalid JSON with JSON_PARSER_ERROR', async () => {
    const response = await fetch(`${fake.url}/services/data/v62.0/sobjects/Case`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await clientCredentialsToken(fake)}` },
      body: '{"Subject": ',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errorCode: string }[])[0].errorCode).toBe('JSON_PARSER_ERROR');
  });
});

describe('describe', () => {
  it('should describe Case with lengths, access, external id and the restricted Type picklist', async () => {
    const { status, body } = await api.call('GET', '/sobjects/Case/describe');
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: 'Case', keyPrefix: '500', createable: true, updateable: true });
    const field = (name: string): unknown => body.fields.find((f: { name: string }) => f.name === name);
    expect(field('Subject')).toMatchObject({
      type: 'string',
      length: 255,
      createable: true,
      updateable: true,
      filterable: true,
    });
    expect(field('Description')).toMatchObject({ type: 'textarea', length: 32000, filterable: false });
    expect(field('CaseNumber')).toMatchObject({ createable: false, updateable: false, autoNumber: true });
    expect(field('Voice_Call_Key__c')).toMatchObject({ externalId: true, unique: true, custom: true });
    expect(field('Type')).toMatchObject({
      type: 'picklist',
      restrictedPicklist: true,
      picklistValues: [
        { value: 'Billing', label: 'Billing', active: true, defaultValue: false },
        { value: 'Technical', label: 'Technical', active: true, defaultValue: false },
      ],
    });
  });

  it('should describe Task.TaskSubtype as createable but not updateable', async () => {
    const { body } = await api.call('GET', '/sobjects/Task/describe');
    expect(body.fields.find((f: { name: string }) => f.name === 'TaskSubtype')).toMatchObject({
      createable: true,
      updateable: false,
      restrictedPicklist: true,
    });
  });

  it('should answer 404 NOT_FOUND for an unknown object', async () => {
    const { status, body } = await api.call('GET', '/sobjects/Opportunity/describe');
    expect(status).toBe(404);
    expect(body[0].errorCode).toBe('NOT_FOUND');
  });
});
