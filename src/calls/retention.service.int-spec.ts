import { storeConfig } from '../store/store.config';
import { createDeliveryHarness, DeliveryHarness, drainUntilIdle } from '../../test/support/delivery-harness';
import { FakeClock } from '../../test/support/fake-clock';
import { FakeSalesforceClient } from '../../test/support/fake-salesforce.client';
import { FakeSmsSender } from '../../test/support/fake-sms-sender';
import { useTestDatabase } from '../../test/support/test-database';
import { RetentionService } from './retention.service';

const DAY = 86_400_000;

describe.each(['sqlite', 'postgres'] as const)('retention on %s', (dialect) => {
  const store = useTestDatabase(dialect);
  let clock: FakeClock;
  let salesforce: FakeSalesforceClient;
  let outbox: DeliveryHarness;
  let retention: RetentionService;

  beforeEach(() => {
    clock = new FakeClock();
    salesforce = new FakeSalesforceClient();
    outbox = createDeliveryHarness({ db: store.db, salesforce, sms: new FakeSmsSender(), clock });
    retention = new RetentionService(outbox.service, outbox.calls, clock, {
      ...storeConfig(),
      retentionMs: 7 * DAY,
    });
  });

  async function endedCall(callId: string): Promise<string> {
    // No caller number: the Task's delivery then has nobody to identify, and the row keeps the fake clock's time.
    await outbox.calls.recordReport(callId, {}, clock.now());
    const record = await outbox.service.submit({
      kind: 'salesforce.task.create',
      idempotencyKey: `task:${callId}`,
      callId,
      payload: { report: { callId, summary: 'Summary', transcript: 'User: my card is lost' } },
    });
    await outbox.calls.saveToolResult(
      { toolCallId: 'tool-1', name: 'lookupCase', result: 'x' },
      callId,
      clock.now(),
    );
    return record.id;
  }

  it('should prune delivered rows, finished calls and tool answers after the retention time, keeping dead letters and pending writes', async () => {
    const delivered = await endedCall('call-delivered');
    const dead = await endedCall('call-dead');
    const pending = await endedCall('call-pending');
    salesforce.refuseTask = (task) => task.callId === 'call-dead';
    await drainUntilIdle(outbox.worker, 1);
    await store.db
      .updateTable('deliveries')
      .set({ status: 'pending', next_attempt_at: clock.now() + 30 * DAY })
      .where('id', '=', pending)
      .execute();
    clock.advance(8 * DAY);
    const recent = await endedCall('call-recent');
    await drainUntilIdle(outbox.worker);

    expect(await retention.runOnce()).toEqual({ deliveries: 1, calls: 1, toolResults: 3 });

    expect(await outbox.service.get(delivered)).toBeUndefined();
    expect(await outbox.calls.get('call-delivered')).toBeUndefined();
    expect(await outbox.calls.findToolResult('tool-1', 'call-delivered')).toBeUndefined();
    // A dead letter and a write still pending keep their call (the Task is built from it) until they are done.
    expect((await outbox.service.get(dead))?.status).toBe('dead');
    expect(await outbox.calls.get('call-dead')).toBeDefined();
    expect((await outbox.service.get(pending))?.status).toBe('pending');
    expect(await outbox.calls.get('call-pending')).toBeDefined();
    expect((await outbox.service.get(recent))?.status).toBe('succeeded');
    expect(await outbox.calls.findToolResult('tool-1', 'call-recent')).toBeDefined();

    expect(await retention.runOnce()).toEqual({ deliveries: 0, calls: 0, toolResults: 0 });
  });
});
