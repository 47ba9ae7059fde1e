import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { SalesforceFake, startSalesforceFake } from '../../fakes/salesforce/salesforce-fake';
import {
  createDeliveryHarness,
  DeliveryHarness,
  drainUntilIdle,
} from '../../src/delivery/testing/delivery-harness';
import { FakeClock } from '../../src/delivery/testing/fake-clock';
import { FakeSmsSender } from '../../src/delivery/testing/fake-sms-sender';
import { buildSalesforceConfig } from '../../src/salesforce/salesforce.config';
import { createSalesforceClient, SalesforceAssembly } from '../../src/salesforce/salesforce-client.factory';
import { Database } from '../../src/store/database.factory';
import { createTestDatabase, openTestDatabase, TestDatabase } from '../../src/store/testing/test-database';

// The lost response is logged as a failed attempt on purpose; keep the output readable.
Logger.overrideLogger(false);

const CLIENT_ID = 'voice-crm-client';
const CLIENT_SECRET = 'fake-secret-comment-e2e';

/**
 * The outbox with the real Salesforce client over HTTP against the Salesforce fake: a comment whose response
 * is lost after Salesforce committed it must still end up on the Case exactly once.
 */
describe.each(['sqlite', 'postgres'] as const)('a CaseComment with a lost response on %s', (dialect) => {
  let database: TestDatabase;
  let db: Database;
  let fake: SalesforceFake;
  let salesforce: SalesforceAssembly;
  let clock: FakeClock;
  let outbox: DeliveryHarness;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    db = await openTestDatabase(database);
    fake = await startSalesforceFake({ clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }] });
    const config = buildSalesforceConfig({
      SALESFORCE_AUTH_FLOW: 'client_credentials',
      SALESFORCE_LOGIN_URL: fake.url,
      SALESFORCE_CLIENT_ID: CLIENT_ID,
      SALESFORCE_CLIENT_SECRET: CLIENT_SECRET,
      SALESFORCE_REQUEST_TIMEOUT_MS: '2000',
      SALESFORCE_RETRY_ATTEMPTS: '2',
      SALESFORCE_RETRY_BASE_DELAY_MS: '5',
    });
    salesforce = createSalesforceClient(config, { registry: new Registry() });
    clock = new FakeClock();
    outbox = createDeliveryHarness({
      db,
      salesforce: salesforce.client,
      sms: new FakeSmsSender(),
      clock,
      config: { backoffBaseMs: 1000, backoffMaxMs: 60_000 },
    });
  });

  afterEach(async () => {
    await salesforce.close();
    await fake.close();
    await db.destroy();
    await database.drop();
  });

  it('should leave exactly one comment on the case and record its id', async () => {
    const caseId = fake.insert('Case', { Subject: 'Line down', Status: 'New' });
    fake.faults.set({ loseResponses: 1, match: '/sobjects/CaseComment' });
    const record = await outbox.service.submit({
      kind: 'salesforce.case.comment',
      idempotencyKey: 'tool-comment-1',
      callId: 'call-1',
      payload: { caseId, body: 'Caller reports the line is still down.' },
    });

    expect((await outbox.service.runInline(record.id, 5000)).status).toBe('pending');
    expect(fake.stats.faults.lostResponses).toBe(1);
    clock.advance(60_000);
    await drainUntilIdle(outbox.worker);

    const comments = fake.records('CaseComment').filter((row) => row.ParentId === caseId);
    expect(comments).toEqual([
      expect.objectContaining({ CommentBody: 'Caller reports the line is still down.' }),
    ]);
    expect(await outbox.service.get(record.id)).toMatchObject({
      status: 'succeeded',
      result: { id: comments[0].Id },
    });
  });
});
