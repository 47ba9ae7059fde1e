import { SalesforceFake } from '../fakes/salesforce/salesforce-fake';
import { createDeliveryHarness, DeliveryHarness, drainUntilIdle } from '../support/delivery-harness';
import { FakeClock } from '../support/fake-clock';
import { FakeSmsSender } from '../support/fake-sms-sender';
import { useTestDatabase } from '../support/test-database';
import { startClientHarness, useClientHarnesses } from '../support/salesforce-client-harness';

// Also keeps the output readable: the lost response is logged as a failed attempt on purpose.
useClientHarnesses();

/**
 * The outbox with the real Salesforce client over HTTP against the Salesforce fake: a comment whose response
 * is lost after Salesforce committed it must still end up on the Case exactly once.
 */
describe.each(['sqlite', 'postgres'] as const)('a CaseComment with a lost response on %s', (dialect) => {
  const store = useTestDatabase(dialect);
  let fake: SalesforceFake;
  let clock: FakeClock;
  let outbox: DeliveryHarness;

  beforeEach(async () => {
    const harness = await startClientHarness();
    fake = harness.fake;
    clock = new FakeClock();
    outbox = createDeliveryHarness({
      db: store.db,
      salesforce: harness.client,
      sms: new FakeSmsSender(),
      clock,
      config: { backoffBaseMs: 1000, backoffMaxMs: 60_000 },
    });
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

    expect((await outbox.service.runInline(record, 5000)).status).toBe('pending');
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
