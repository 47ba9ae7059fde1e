import { SalesforceFake } from '../../fakes/salesforce/salesforce-fake';
import {
  createDeliveryHarness,
  DeliveryHarness,
  drainUntilIdle,
} from '../../src/delivery/testing/delivery-harness';
import { FakeClock } from '../../src/delivery/testing/fake-clock';
import { FakeSmsSender } from '../../src/delivery/testing/fake-sms-sender';
import { Database } from '../../src/store/database.factory';
import { createTestDatabase, openTestDatabase, TestDatabase } from '../../src/store/testing/test-database';
import { startClientHarness, useClientHarnesses } from '../support/salesforce-client-harness';

// Also keeps the output readable: the lost response is logged as a failed attempt on purpose.
useClientHarnesses();

/**
 * The outbox with the real Salesforce client over HTTP against the Salesforce fake: a comment whose response
 * is lost after Salesforce committed it must still end up on the Case exactly once.
 */
describe.each(['sqlite', 'postgres'] as const)('a CaseComment with a lost response on %s', (dialect) => {
  let database: TestDatabase;
  let db: Database;
  let fake: SalesforceFake;
  let clock: FakeClock;
  let outbox: DeliveryHarness;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    db = await openTestDatabase(database);
    const harness = await startClientHarness();
    fake = harness.fake;
    clock = new FakeClock();
    outbox = createDeliveryHarness({
      db,
      salesforce: harness.client,
      sms: new FakeSmsSender(),
      clock,
      config: { backoffBaseMs: 1000, backoffMaxMs: 60_000 },
    });
  });

  afterEach(async () => {
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
