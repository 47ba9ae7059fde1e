import { Logger } from '@nestjs/common';
import { generateKeyPairSync } from 'node:crypto';
import { Registry } from 'prom-client';
import {
  SalesforceFake,
  SalesforceFakeOptions,
  startSalesforceFake,
} from '../../fakes/salesforce/salesforce-fake';
import { buildSalesforceConfig } from './salesforce.config';
import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';
import { NewCallTask, NewCase } from './salesforce.types';
import { createSalesforceClient } from './salesforce-client.factory';
import { SalesforceRestClient } from './salesforce-rest.client';
import { InMemorySalesforceTokenStore } from './salesforce-token.store';

// Token and retry logs are expected here; keep the test output readable.
Logger.overrideLogger(false);

type Fake = SalesforceFake;
type FakeOptions = SalesforceFakeOptions;

const tokenRequests = (fake: Fake): number =>
  Object.values(fake.stats.tokenRequests).reduce((sum, count) => sum + count, 0);

const CLIENT_ID = 'voice-crm-client';
const CLIENT_SECRET = 'fake-secret-do-not-log-42';

interface Harness {
  fake: Fake;
  client: SalesforceRestClient;
  registry: Registry;
}

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()));
});

async function harness(
  options: {
    fake?: Partial<FakeOptions>;
    env?: Record<string, string>;
    store?: InMemorySalesforceTokenStore;
  } = {},
): Promise<Harness> {
  const fake = await startSalesforceFake({
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
    searchIndexLagMs: 0,
    ...options.fake,
  });
  const config = buildSalesforceConfig({
    SALESFORCE_AUTH_FLOW: 'client_credentials',
    SALESFORCE_LOGIN_URL: fake.url,
    SALESFORCE_CLIENT_ID: CLIENT_ID,
    SALESFORCE_CLIENT_SECRET: CLIENT_SECRET,
    SALESFORCE_REQUEST_TIMEOUT_MS: '2000',
    SALESFORCE_RETRY_ATTEMPTS: '2',
    SALESFORCE_RETRY_BASE_DELAY_MS: '5',
    SALESFORCE_TOKEN_RETRY_AFTER_MS: '60000',
    ...options.env,
  });
  const registry = new Registry();
  const salesforce = createSalesforceClient(config, { registry, tokenStore: options.store });
  open.push(async () => {
    await salesforce.close();
    await fake.close();
  });
  return { fake, client: salesforce.client, registry };
}

function newCase(overrides: Partial<NewCase> = {}): NewCase {
  return {
    idempotencyKey: `call_${Math.random().toString(36).slice(2)}`,
    issueType: 'billing',
    subject: 'Double charge on invoice',
    description: 'The caller was charged twice in November.',
    ...overrides,
  };
}

async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((value) =>
    Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted),
  );
  return match?.value ?? 0;
}

async function caught(promise: Promise<unknown>): Promise<SalesforceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SalesforceError) return error;
    throw error;
  }
  throw new Error('expected a SalesforceError');
}

describe('SalesforceRestClient against the Salesforce fake', () => {
  describe('authentication', () => {
    it('should authenticate with client credentials and reuse the token', async () => {
      const { fake, client } = await harness();
      const accountId = fake.insert('Account', { Name: 'Acme', AccountNumber: 'ACC-1' });

      expect(await client.findAccountByNumber('ACC-1')).toEqual({
        id: accountId,
        name: 'Acme',
        accountNumber: 'ACC-1',
      });
      expect(await client.findAccountByNumber('ACC-1')).not.toBeNull();
      expect(tokenRequests(fake)).toBe(1);
      expect(client.tokenStatus().state).toBe('valid');
    });

    it('should authenticate with a JWT bearer assertion signed by the configured key', async () => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const { fake, client } = await harness({
        fake: {
          clients: [
            {
              clientId: CLIENT_ID,
              jwt: {
                publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
                username: 'integration@example.com',
              },
            },
          ],
        },
        env: {
          SALESFORCE_AUTH_FLOW: 'jwt_bearer',
          SALESFORCE_USERNAME: 'integration@example.com',
          SALESFORCE_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        },
      });
      fake.insert('Account', { Name: 'Acme', AccountNumber: 'JWT-1' });

      expect(await client.findAccountByNumber('JWT-1')).toMatchObject({ name: 'Acme' });
      expect(tokenRequests(fake)).toBe(1);
    });

    it('should refresh with a rotating refresh token and keep the new one in the store', async () => {
      const store = new InMemorySalesforceTokenStore();
      const { fake, client } = await harness({
        fake: {
          clients: [
            {
              clientId: CLIENT_ID,
              clientSecret: CLIENT_SECRET,
              refreshTokens: ['rt-initial'],
              rotateRefreshTokens: true,
            },
          ],
        },
        env: { SALESFORCE_AUTH_FLOW: 'refresh_token', SALESFORCE_REFRESH_TOKEN: 'rt-initial' },
        store,
      });
      fake.insert('Account', { Name: 'Acme', AccountNumber: 'RT-1' });

      await client.findAccountByNumber('RT-1');
      const afterFirst = await store.loadRefreshToken();
      fake.faults.expireTokens();
      await client.findAccountByNumber('RT-1');

      expect(afterFirst).toBeDefined();
      expect(afterFirst).not.toBe('rt-initial');
      expect(await store.loadRefreshToken()).not.toBe(afterFirst);
      expect(tokenRequests(fake)).toBe(2);
    });

    it('should fail with AUTH_FAILED naming what to check, never the secret, and stop hammering', async () => {
      const { fake, client } = await harness({
        fake: { clients: [{ clientId: CLIENT_ID, clientSecret: 'the-real-secret' }] },
        env: { SALESFORCE_TOKEN_FAILURE_THRESHOLD: '2' },
      });

      const errors: SalesforceError[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1)
        errors.push(await caught(client.findAccountByNumber('X')));

      for (const error of errors) {
        expect(error.code).toBe(SalesforceErrorCode.AUTH_FAILED);
        expect(error.message).toMatch(/SALESFORCE_CLIENT_ID|SALESFORCE_CLIENT_SECRET/);
        expect(error.message).not.toContain(CLIENT_SECRET);
        expect(error.message).not.toContain('the-real-secret');
      }
      expect(tokenRequests(fake)).toBe(2);
      expect(client.tokenStatus()).toMatchObject({ state: 'failed' });
      expect(client.tokenStatus().lastError).not.toContain(CLIENT_SECRET);
    });

    it('should obtain exactly one token for 1,000 concurrent calls on a cold cache', async () => {
      const { fake, client } = await harness({
        env: { SALESFORCE_MAX_CONCURRENCY: '100', SALESFORCE_REQUEST_TIMEOUT_MS: '20000' },
      });
      fake.insert('Account', { Name: 'Acme', AccountNumber: 'LOAD-1' });

      const results = await Promise.all(
        Array.from({ length: 1000 }, () => client.findAccountByNumber('LOAD-1')),
      );

      expect(results.every((account) => account?.name === 'Acme')).toBe(true);
      expect(tokenRequests(fake)).toBe(1);
    }, 30_000);

    it('should refresh once and fail no call when the token expires mid-flight', async () => {
      const { fake, client } = await harness({ env: { SALESFORCE_MAX_CONCURRENCY: '50' } });
      fake.insert('Account', { Name: 'Acme', AccountNumber: 'EXP-1' });
      await client.findAccountByNumber('EXP-1');
      fake.faults.set({ latencyMs: 30 });

      const inFlight = Promise.all(Array.from({ length: 200 }, () => client.findAccountByNumber('EXP-1')));
      await new Promise((resolve) => setTimeout(resolve, 10));
      fake.faults.expireTokens();
      const results = await inFlight;

      expect(results.every((account) => account?.name === 'Acme')).toBe(true);
      expect(tokenRequests(fake)).toBe(2);
    });
  });

  describe('failures', () => {
    it('should turn an outage into UNAVAILABLE after retrying a read', async () => {
      const { fake, client, registry } = await harness();
      await client.findAccountByNumber('warm-up');
      fake.faults.set({ outage: true });

      const error = await caught(client.findAccountByNumber('ACC-1'));

      expect(error.code).toBe(SalesforceErrorCode.UNAVAILABLE);
      expect(error.retryable).toBe(true);
      expect(
        await metricValue(registry, 'salesforce_requests_total', {
          operation: 'findAccountByNumber',
          outcome: 'unavailable',
        }),
      ).toBe(3);
    });

    it('should turn REQUEST_LIMIT_EXCEEDED into RATE_LIMITED without retrying, and pause background work', async () => {
      const { fake, client, registry } = await harness();
      await client.findAccountByNumber('warm-up');
      fake.faults.set({ limitExceeded: true });

      const live = await caught(client.findAccountByNumber('ACC-1'));
      fake.faults.clear();
      const background = await caught(client.findCallTasks(['call-1'], 'background'));

      expect(live.code).toBe(SalesforceErrorCode.RATE_LIMITED);
      expect(
        await metricValue(registry, 'salesforce_requests_total', {
          operation: 'findAccountByNumber',
          outcome: 'rate_limited',
        }),
      ).toBe(1);
      expect(background.code).toBe(SalesforceErrorCode.RATE_LIMITED);
      expect(
        await metricValue(registry, 'salesforce_requests_total', {
          operation: 'findCallTasks',
          outcome: 'success',
        }),
      ).toBe(0);
      // Live requests still go through.
      expect(await client.findAccountByNumber('ACC-1')).toBeNull();
    });

    it('should end a hung request with TIMEOUT', async () => {
      const { fake, client } = await harness({
        env: { SALESFORCE_REQUEST_TIMEOUT_MS: '150', SALESFORCE_RETRY_ATTEMPTS: '0' },
      });
      await client.findAccountByNumber('warm-up');
      fake.faults.set({ hang: true });

      const error = await caught(client.findAccountByNumber('ACC-1'));

      expect(error.code).toBe(SalesforceErrorCode.TIMEOUT);
      expect(error.retryable).toBe(true);
    });

    it('should end a hung token request with TIMEOUT', async () => {
      const { fake, client } = await harness({
        env: { SALESFORCE_REQUEST_TIMEOUT_MS: '150', SALESFORCE_RETRY_ATTEMPTS: '0' },
      });
      fake.faults.set({ tokenHang: true });

      const error = await caught(client.findAccountByNumber('ACC-1'));

      expect(error.code).toBe(SalesforceErrorCode.TIMEOUT);
      expect(client.tokenStatus().state).toBe('failed');
    });

    it('should not retry a comment after an outage (no way to check whether it landed)', async () => {
      const { fake, client, registry } = await harness();
      const parentId = fake.insert('Case', { Subject: 'Parent', Status: 'New' });
      await client.findAccountByNumber('warm-up');
      fake.faults.set({ outage: true, match: '/sobjects/CaseComment' });

      const error = await caught(client.addCaseComment(parentId, 'Hello'));

      expect(error.code).toBe(SalesforceErrorCode.UNAVAILABLE);
      expect(
        await metricValue(registry, 'salesforce_requests_total', {
          operation: 'addCaseComment',
          outcome: 'unavailable',
        }),
      ).toBe(1);
    });

    it('should retry a contact update (the same PATCH twice is harmless)', async () => {
      const { fake, client } = await harness();
      const contactId = fake.insert('Contact', { LastName: 'Doe' });
      await client.findAccountByNumber('warm-up');
      fake.faults.set({ loseResponses: 1, match: '/sobjects/Contact' });

      await client.updateContact(contactId, { email: 'jane@example.com' });

      expect(fake.records('Contact').find((row) => row.Id === contactId)?.Email).toBe('jane@example.com');
    });
  });

  describe('cases', () => {
    it('should create a Case and read its CaseNumber in one API call', async () => {
      const { fake, client, registry } = await harness({ env: { SALESFORCE_CASE_AUTO_ASSIGN: 'false' } });
      const contactId = fake.insert('Contact', { LastName: 'Doe' });
      const before = fake.stats.apiCallsCounted;

      const created = await client.createCase(newCase({ contactId, priority: 'high' }));

      expect(fake.stats.apiCallsCounted - before).toBe(1);
      expect(
        await metricValue(registry, 'salesforce_requests_total', {
          operation: 'createCase',
          outcome: 'success',
        }),
      ).toBe(1);
      const stored = fake.records('Case').find((row) => row.Id === created.id);
      expect(stored).toMatchObject({
        CaseNumber: created.caseNumber,
        Type: 'Billing',
        Priority: 'High',
        Status: 'New',
        Origin: 'Phone',
        ContactId: contactId,
      });
      expect(created.caseNumber).toMatch(/^\d{8}$/);
      expect(fake.assignmentRulesApplied(created.id)).toBe(false);
    });

    it('should leave assignment rules on by default', async () => {
      const { fake, client } = await harness();

      const created = await client.createCase(newCase());

      expect(fake.assignmentRulesApplied(created.id)).toBe(true);
    });

    it('should create exactly one Case when the response is lost after the commit (marker in Description)', async () => {
      const { fake, client } = await harness();
      const contactId = fake.insert('Contact', { LastName: 'Doe' });
      await client.findAccountByNumber('warm-up');
      fake.faults.set({ loseResponses: 1, match: '/composite' });
      const input = newCase({ contactId });

      const created = await client.createCase(input);

      const cases = fake.records('Case');
      expect(cases).toHaveLength(1);
      expect(cases[0].Id).toBe(created.id);
      expect(String(cases[0].Description)).toMatch(/\[vc:call_[a-z0-9]+\]$/);
      expect(await client.findCaseByIdempotencyKey(input.idempotencyKey, 'live', input)).toEqual(created);
    });

    it('should create exactly one Case when the response is lost after the commit (external-ID upsert)', async () => {
      const { fake, client } = await harness({
        fake: { caseExternalIdField: 'Voice_Call_Key__c' },
        env: { SALESFORCE_CASE_EXTERNAL_ID_FIELD: 'Voice_Call_Key__c' },
      });
      await client.findAccountByNumber('warm-up');
      fake.faults.set({ loseResponses: 1, match: '/composite' });
      const input = newCase();

      const created = await client.createCase(input);

      const cases = fake.records('Case');
      expect(cases).toHaveLength(1);
      expect(cases[0]).toMatchObject({ Id: created.id, Voice_Call_Key__c: input.idempotencyKey });
      expect(await client.findCaseByIdempotencyKey(input.idempotencyKey)).toEqual(created);
    });

    it('should find a case by number (leading zeros optional) and list open cases most recent first', async () => {
      const { fake, client } = await harness({ fake: { clock: undefined } });
      const contactId = fake.insert('Contact', { LastName: 'Doe' });
      const otherId = fake.insert('Contact', { LastName: 'Roe' });
      const first = await client.createCase(newCase({ contactId, subject: 'first' }));
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await client.createCase(newCase({ contactId, subject: 'second' }));
      await client.createCase(newCase({ contactId: otherId, subject: 'not theirs' }));
      fake.insert('Case', { Subject: 'closed', Status: 'Closed', ContactId: contactId });

      const open = await client.listOpenCases({ contactId }, 3);
      const byNumber = await client.getCaseByNumber(String(Number(first.caseNumber)));

      expect(open.map((record) => record.subject)).toEqual(['second', 'first']);
      expect(open[0]).toMatchObject({ id: second.id, status: 'New', isClosed: false, contactId });
      expect(byNumber).toMatchObject({ id: first.id, caseNumber: first.caseNumber, contactId });
    });

    it('should truncate a comment to 4,000 bytes at a character boundary', async () => {
      const { fake, client } = await harness();
      const parentId = fake.insert('Case', { Subject: 'Parent', Status: 'New' });

      const comment = await client.addCaseComment(parentId, 'é'.repeat(3000));

      const stored = fake.records('CaseComment').find((row) => row.Id === comment.id);
      expect(Buffer.byteLength(String(stored?.CommentBody))).toBe(4000);
      expect(stored?.ParentId).toBe(parentId);
    });

    it('should find a comment already on the case by its body, and nothing for a body it does not have', async () => {
      const { fake, client } = await harness();
      const parentId = fake.insert('Case', { Subject: 'Parent', Status: 'New' });
      fake.insert('CaseComment', { ParentId: parentId, CommentBody: 'Earlier note' });
      const added = await client.addCaseComment(parentId, 'Caller says the line is still down');
      fake.insert('CaseComment', { ParentId: parentId, CommentBody: 'Later note' });

      expect(await client.findCaseComment(parentId, 'Caller says the line is still down')).toEqual({
        id: added.id,
      });
      expect(await client.findCaseComment(parentId, 'Caller says the line is still')).toBeNull();
      expect(await client.findCaseComment(parentId, 'Something never said')).toBeNull();
    });

    it('should find a comment longer than 4,000 bytes by the truncated body it was stored with', async () => {
      const { fake, client } = await harness();
      const parentId = fake.insert('Case', { Subject: 'Parent', Status: 'New' });
      const long = `${'é'.repeat(2500)} — the tail that does not fit`;
      const added = await client.addCaseComment(parentId, long);

      expect(await client.findCaseComment(parentId, long)).toEqual({ id: added.id });
    });

    it("should not take another case's identical comment for this case's", async () => {
      const { fake, client } = await harness();
      const mine = fake.insert('Case', { Subject: 'Mine', Status: 'New' });
      const other = fake.insert('Case', { Subject: 'Other', Status: 'New' });
      await client.addCaseComment(other, 'Please call me back');

      expect(await client.findCaseComment(mine, 'Please call me back')).toBeNull();
    });

    it('should retry the comment lookup through an outage, since it only reads', async () => {
      const { fake, client, registry } = await harness();
      const parentId = fake.insert('Case', { Subject: 'Parent', Status: 'New' });
      await client.addCaseComment(parentId, 'Hello');
      fake.faults.set({ outage: true, match: '/query' });

      const error = await caught(client.findCaseComment(parentId, 'Hello'));

      expect(error.code).toBe(SalesforceErrorCode.UNAVAILABLE);
      expect(
        await metricValue(registry, 'salesforce_requests_total', {
          operation: 'findCaseComment',
          outcome: 'unavailable',
        }),
      ).toBe(3);
    });
  });

  describe('caller identification', () => {
    it.each(['(415) 555-1212', '415.555.1212', '+1 415 555 1212', '1-415-555-1212'])(
      'should identify a contact whose phone is stored as %s',
      async (stored) => {
        const { fake, client } = await harness();
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

    it('should find a contact created moments ago, before the search index has it', async () => {
      const { fake, client } = await harness({ fake: { searchIndexLagMs: 120_000 } });
      const contactId = fake.insert('Contact', { LastName: 'New', MobilePhone: '415-555-0199' });

      expect(await client.findCallerByPhone('+14155550199')).toMatchObject({
        kind: 'identified',
        contact: { id: contactId },
      });
    });

    it('should report several distinct contacts as ambiguous, and a lone account phone as the account', async () => {
      const { fake, client } = await harness();
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

    it('should not match a number that only shares its last digits', async () => {
      const { fake, client } = await harness({ fake: { searchIndexLagMs: 120_000 } });
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
      const { fake, client } = await harness();
      fake.insert('Account', { Name: 'Victim', AccountNumber: 'ACC-1' });

      expect(await client.findAccountByNumber(attack)).toBeNull();
    });

    it('should search only for the digits of a phone number, whatever else the caller id contains', async () => {
      const { fake, client, registry } = await harness();
      fake.insert('Contact', { LastName: 'Victim', Phone: '(415) 555-1212' });

      expect(await client.findCallerByPhone('*} IN ALL FIELDS RETURNING Contact(Id) {*')).toEqual({
        kind: 'unidentified',
      });
      expect(await client.findCallerByPhone("+1 212 555 0100') OR Phone != ('")).toEqual({
        kind: 'unidentified',
      });
      expect(
        await metricValue(registry, 'salesforce_requests_total', { operation: 'findCallerByPhone.search' }),
      ).toBeLessThanOrEqual(1);
    });

    it('should return nothing foreign for hostile case numbers and idempotency keys', async () => {
      const { fake, client } = await harness();
      const contactId = fake.insert('Contact', { LastName: 'Victim' });
      await client.createCase(newCase({ contactId }));

      expect(await client.getCaseByNumber("0' OR CaseNumber != '")).toBeNull();
      expect(await client.findCaseByIdempotencyKey("x' OR Id != '", 'live', { contactId })).toBeNull();
      await expect(client.listOpenCases({ contactId: "x' OR Id != '" }, 3)).rejects.toThrow(SalesforceError);
    });

    it.each(["500000000000001' OR ParentId != '", '500000000000001AAA OR Id != null', "x'"])(
      'should refuse the case id %p of a comment lookup before any request',
      async (attack) => {
        const { fake, client } = await harness();
        const parentId = fake.insert('Case', { Subject: 'Victim', Status: 'New' });
        await client.addCaseComment(parentId, 'Private note');
        const before = fake.stats.apiCallsCounted;

        const error = await caught(client.findCaseComment(attack, 'Private note'));

        expect(error.code).toBe(SalesforceErrorCode.VALIDATION);
        expect(fake.stats.apiCallsCounted).toBe(before);
      },
    );
  });

  describe('call logging', () => {
    function task(callId: string, overrides: Partial<NewCallTask> = {}): NewCallTask {
      return {
        callId,
        subject: 'Call with Jane',
        description: 'Summary. Transcript…',
        activityDate: '2026-11-24',
        durationSeconds: 125,
        disposition: 'customer-ended-call',
        ...overrides,
      };
    }

    it('should log Tasks in one call with per-record results, and find them by call id', async () => {
      const { fake, client } = await harness();
      const contactId = fake.insert('Contact', { LastName: 'Doe' });
      const before = fake.stats.apiCallsCounted;

      const results = await client.createCallTasks([
        task('call-a', { whoId: contactId }),
        task('call-b', { description: 'x'.repeat(40_000) }),
        task('call-c', { activityDate: 'yesterday' }),
      ]);

      expect(fake.stats.apiCallsCounted - before).toBe(1);
      expect(results.map((result) => [result.callId, result.ok])).toEqual([
        ['call-a', true],
        ['call-b', true],
        ['call-c', false],
      ]);
      const stored = fake.records('Task');
      expect(stored.find((row) => row.CallObject === 'call-a')).toMatchObject({
        TaskSubtype: 'Call',
        CallType: 'Inbound',
        Status: 'Completed',
        CallDurationInSeconds: 125,
        CallDisposition: 'customer-ended-call',
        WhoId: contactId,
        ActivityDate: '2026-11-24',
      });
      expect(String(stored.find((row) => row.CallObject === 'call-b')?.Description)).toHaveLength(32_000);
      const found = await client.findCallTasks(['call-a', 'call-b', 'call-z']);
      expect([...found.keys()].sort()).toEqual(['call-a', 'call-b']);
    });

    it('should not duplicate Tasks when the batch response is lost', async () => {
      const { fake, client } = await harness();
      await client.findAccountByNumber('warm-up');
      fake.faults.set({ loseResponses: 1, match: '/composite/sobjects' });

      const results = await client.createCallTasks([task('call-1'), task('call-2')]);

      expect(results.every((result) => result.ok)).toBe(true);
      expect(
        fake
          .records('Task')
          .map((row) => row.CallObject)
          .sort(),
      ).toEqual(['call-1', 'call-2']);
    });

    it('should attach a transcript to the Task and return its ContentDocumentId', async () => {
      const { fake, client } = await harness();
      const [logged] = await client.createCallTasks([task('call-t')]);
      if (!logged.ok) throw new Error('task not logged');

      const attached = await client.attachTranscript(logged.id, 'Transcript call-t', 'AI: Hello\nUser: Hi');

      const version = fake.records('ContentVersion')[0];
      expect(version).toMatchObject({
        ContentDocumentId: attached.contentDocumentId,
        FirstPublishLocationId: logged.id,
      });
      expect(attached.contentDocumentId).toMatch(/^069/);
    });
  });

  describe('contact updates', () => {
    it('should write allow-listed fields, phone as E.164, and refuse bad values before any request', async () => {
      const { fake, client, registry } = await harness();
      const contactId = fake.insert('Contact', { LastName: 'Doe', Title: 'CEO' });

      await client.updateContact(contactId, { phone: '(415) 555-0123', mailingCity: 'Springfield' });
      const badEmail = await caught(client.updateContact(contactId, { email: 'not-an-email' }));
      const tooLong = await caught(client.updateContact(contactId, { mailingPostalCode: '1'.repeat(21) }));
      const hostile = await caught(
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
        await metricValue(registry, 'salesforce_requests_total', {
          operation: 'updateContact',
          outcome: 'success',
        }),
      ).toBe(1);
    });
  });

  describe('budget and metrics', () => {
    it('should export api usage and pause background requests near the daily limit', async () => {
      const { client, registry } = await harness({
        fake: { dailyApiLimit: 10 },
        env: { SALESFORCE_BACKGROUND_USAGE_CEILING: '0.5' },
      });
      for (let call = 0; call < 5; call += 1) await client.findAccountByNumber('ACC-1');

      const usage = client.apiUsage();
      const refused = await caught(client.findCallTasks(['call-1'], 'background'));

      expect(usage).toMatchObject({ used: 5, limit: 10 });
      expect(await metricValue(registry, 'salesforce_api_usage', {})).toBe(5);
      expect(await metricValue(registry, 'salesforce_api_limit', {})).toBe(10);
      expect(refused.code).toBe(SalesforceErrorCode.RATE_LIMITED);
      expect(await client.findAccountByNumber('ACC-1')).toBeNull();
    });
  });

  describe('schema check', () => {
    it('should find nothing missing in a matching org, name a missing picklist value and re-check only that', async () => {
      const good = await harness();
      const bad = await harness({ env: { SALESFORCE_CASE_TYPE_MAP: 'billing=Invoices' } });

      expect(await good.client.checkSchema()).toEqual([]);
      expect(await bad.client.checkSchema()).toEqual([
        'Case.Type: picklist value "Invoices" missing or inactive',
      ]);

      // Answers that passed are cached; the object with a problem is described again on the next check.
      const [goodBefore, badBefore] = [good.fake.stats.apiCallsCounted, bad.fake.stats.apiCallsCounted];
      await good.client.checkSchema();
      await bad.client.checkSchema();
      expect(good.fake.stats.apiCallsCounted - goodBefore).toBe(0);
      expect(bad.fake.stats.apiCallsCounted - badBefore).toBe(1);
    });
  });
});
