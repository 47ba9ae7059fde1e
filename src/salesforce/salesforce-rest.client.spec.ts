import { generateKeyPairSync } from 'node:crypto';
import * as kit from '../../test/support/salesforce-client-harness';
import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';
import { InMemorySalesforceTokenStore } from './salesforce-token.store';

kit.useClientHarnesses();

describe('SalesforceRestClient against the Salesforce fake', () => {
  describe('authentication', () => {
    it('should authenticate with client credentials and reuse the token', async () => {
      const { fake, client } = await kit.startClientHarness();
      const accountId = fake.insert('Account', { Name: 'Acme', AccountNumber: 'ACC-1' });

      expect(await client.findAccountByNumber('ACC-1')).toEqual({
        id: accountId,
        name: 'Acme',
        accountNumber: 'ACC-1',
      });
      expect(await client.findAccountByNumber('ACC-1')).not.toBeNull();
      expect(kit.tokenRequests(fake)).toBe(1);
      expect(client.tokenStatus().state).toBe('valid');
    });

    it('should authenticate with a JWT bearer assertion signed by the configured key', async () => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const { fake, client } = await kit.startClientHarness({
        fake: {
          clients: [
            {
              clientId: kit.CLIENT_ID,
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
      expect(kit.tokenRequests(fake)).toBe(1);
    });

    it('should refresh with a rotating refresh token and keep the new one in the store', async () => {
      const store = new InMemorySalesforceTokenStore();
      const { fake, client } = await kit.startClientHarness({
        fake: {
          clients: [
            {
              clientId: kit.CLIENT_ID,
              clientSecret: kit.CLIENT_SECRET,
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
      expect(kit.tokenRequests(fake)).toBe(2);
    });

    it('should fail with AUTH_FAILED naming what to check, never the secret, and stop hammering', async () => {
      const { fake, client } = await kit.startClientHarness({
        fake: { clients: [{ clientId: kit.CLIENT_ID, clientSecret: 'the-real-secret' }] },
        env: { SALESFORCE_TOKEN_FAILURE_THRESHOLD: '2' },
      });

      const errors: SalesforceError[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1)
        errors.push(await kit.caught(client.findAccountByNumber('X')));

      for (const error of errors) {
        expect(error.code).toBe(SalesforceErrorCode.AUTH_FAILED);
        expect(error.message).toMatch(/SALESFORCE_CLIENT_ID|SALESFORCE_CLIENT_SECRET/);
        expect(error.message).not.toContain(kit.CLIENT_SECRET);
        expect(error.message).not.toContain('the-real-secret');
      }
      expect(kit.tokenRequests(fake)).toBe(2);
      expect(client.tokenStatus()).toMatchObject({ state: 'failed' });
      expect(client.tokenStatus().lastError).not.toContain(kit.CLIENT_SECRET);
    });

    it('should obtain exactly one token for 1,000 concurrent calls on a cold cache', async () => {
      const { fake, client } = await kit.startClientHarness({
        env: { SALESFORCE_MAX_CONCURRENCY: '100', SALESFORCE_REQUEST_TIMEOUT_MS: '20000' },
      });
      fake.insert('Account', { Name: 'Acme', AccountNumber: 'LOAD-1' });

      const results = await Promise.all(
        Array.from({ length: 1000 }, () => client.findAccountByNumber('LOAD-1')),
      );

      expect(results.every((account) => account?.name === 'Acme')).toBe(true);
      expect(kit.tokenRequests(fake)).toBe(1);
    }, 30_000);

    it('should refresh once and fail no call when the token expires mid-flight', async () => {
      const { fake, client } = await kit.startClientHarness({ env: { SALESFORCE_MAX_CONCURRENCY: '50' } });
      fake.insert('Account', { Name: 'Acme', AccountNumber: 'EXP-1' });
      await client.findAccountByNumber('EXP-1');
      fake.faults.set({ latencyMs: 30 });

      const inFlight = Promise.all(Array.from({ length: 200 }, () => client.findAccountByNumber('EXP-1')));
      await new Promise((resolve) => setTimeout(resolve, 10));
      fake.faults.expireTokens();
      const results = await inFlight;

      expect(results.every((account) => account?.name === 'Acme')).toBe(true);
      expect(kit.tokenRequests(fake)).toBe(2);
    });
  });

  describe('failures', () => {
    it('should turn an outage into UNAVAILABLE after retrying a read', async () => {
      const { fake, client, registry } = await kit.startClientHarness();
      await client.findAccountByNumber('warm-up');
      fake.faults.set({ outage: true });

      const error = await kit.caught(client.findAccountByNumber('ACC-1'));

      expect(error.code).toBe(SalesforceErrorCode.UNAVAILABLE);
      expect(error.retryable).toBe(true);
      expect(
        await kit.metricValue(registry, 'salesforce_requests_total', {
          operation: 'findAccountByNumber',
          outcome: 'unavailable',
        }),
      ).toBe(3);
    });

    it('should turn REQUEST_LIMIT_EXCEEDED into RATE_LIMITED without retrying, and pause background work', async () => {
      const { fake, client, registry } = await kit.startClientHarness();
      await client.findAccountByNumber('warm-up');
      fake.faults.set({ limitExceeded: true });

      const live = await kit.caught(client.findAccountByNumber('ACC-1'));
      fake.faults.clear();
      const background = await kit.caught(client.findCallTasks(['call-1'], 'background'));

      expect(live.code).toBe(SalesforceErrorCode.RATE_LIMITED);
      expect(
        await kit.metricValue(registry, 'salesforce_requests_total', {
          operation: 'findAccountByNumber',
          outcome: 'rate_limited',
        }),
      ).toBe(1);
      expect(background.code).toBe(SalesforceErrorCode.RATE_LIMITED);
      expect(
        await kit.metricValue(registry, 'salesforce_requests_total', {
          operation: 'findCallTasks',
          outcome: 'success',
        }),
      ).toBe(0);
      // Live requests still go through.
      expect(await client.findAccountByNumber('ACC-1')).toBeNull();
    });

    it('should end a hung request with TIMEOUT', async () => {
      const { fake, client } = await kit.startClientHarness({
        env: { SALESFORCE_REQUEST_TIMEOUT_MS: '150', SALESFORCE_RETRY_ATTEMPTS: '0' },
      });
      await client.findAccountByNumber('warm-up');
      fake.faults.set({ hang: true });

      const error = await kit.caught(client.findAccountByNumber('ACC-1'));

      expect(error.code).toBe(SalesforceErrorCode.TIMEOUT);
      expect(error.retryable).toBe(true);
    });

    it('should end a hung token request with TIMEOUT', async () => {
      const { fake, client } = await kit.startClientHarness({
        env: { SALESFORCE_REQUEST_TIMEOUT_MS: '150', SALESFORCE_RETRY_ATTEMPTS: '0' },
      });
      fake.faults.set({ tokenHang: true });

      const error = await kit.caught(client.findAccountByNumber('ACC-1'));

      expect(error.code).toBe(SalesforceErrorCode.TIMEOUT);
      expect(client.tokenStatus().state).toBe('failed');
    });

    it('should not retry a comment after an outage (no way to check whether it landed)', async () => {
      const { fake, client, registry } = await kit.startClientHarness();
      const parentId = fake.insert('Case', { Subject: 'Parent', Status: 'New' });
      await client.findAccountByNumber('warm-up');
      fake.faults.set({ outage: true, match: '/sobjects/CaseComment' });

      const error = await kit.caught(client.addCaseComment(parentId, 'Hello'));

      expect(error.code).toBe(SalesforceErrorCode.UNAVAILABLE);
      expect(
        await kit.metricValue(registry, 'salesforce_requests_total', {
          operation: 'addCaseComment',
          outcome: 'unavailable',
        }),
      ).toBe(1);
    });

    it('should retry a contact update (the same PATCH twice is harmless)', async () => {
      const { fake, client } = await kit.startClientHarness();
      const contactId = fake.insert('Contact', { LastName: 'Doe' });
      await client.findAccountByNumber('warm-up');
      fake.faults.set({ loseResponses: 1, match: '/sobjects/Contact' });

      await client.updateContact(contactId, { email: 'jane@example.com' });

      expect(fake.records('Contact').find((row) => row.Id === contactId)?.Email).toBe('jane@example.com');
    });
  });

  describe('budget and metrics', () => {
    it('should export api usage and pause background requests near the daily limit', async () => {
      const { client, registry } = await kit.startClientHarness({
        fake: { dailyApiLimit: 10 },
        env: { SALESFORCE_BACKGROUND_USAGE_CEILING: '0.5' },
      });
      for (let call = 0; call < 5; call += 1) await client.findAccountByNumber('ACC-1');

      const usage = client.apiUsage();
      const refused = await kit.caught(client.findCallTasks(['call-1'], 'background'));

      expect(usage).toMatchObject({ used: 5, limit: 10 });
      expect(await kit.metricValue(registry, 'salesforce_api_usage', {})).toBe(5);
      expect(await kit.metricValue(registry, 'salesforce_api_limit', {})).toBe(10);
      expect(refused.code).toBe(SalesforceErrorCode.RATE_LIMITED);
      expect(await client.findAccountByNumber('ACC-1')).toBeNull();
    });
  });

  describe('schema check', () => {
    it('should find nothing missing in a matching org, name a missing picklist value and re-check only that', async () => {
      const good = await kit.startClientHarness();
      const bad = await kit.startClientHarness({ env: { SALESFORCE_CASE_TYPE_MAP: 'billing=Invoices' } });

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
