import { SystemClock } from '../../src/delivery/clock';
import { DeliveryInput } from '../../src/delivery/delivery.types';
import { createDeliveryHarness, drainUntilIdle } from '../support/delivery-harness';
import { FakeSalesforceClient } from '../support/fake-salesforce.client';
import { FakeSmsSender } from '../support/fake-sms-sender';
import { createTestDatabase, openTestDatabase } from '../support/test-database';

jest.setTimeout(120_000);

const TASKS = Number(process.env.DRAIN_TASKS ?? 5000);

/** Drains a backlog of end-of-call Tasks and prints the rate; asserts only the batching (API calls). */
describe.each(['sqlite', 'postgres'] as const)('draining a Task backlog on %s', (dialect) => {
  it('should log 1,000 Tasks with 5 Salesforce calls', async () => {
    const database = await createTestDatabase(dialect);
    const db = await openTestDatabase(database);
    try {
      const salesforce = new FakeSalesforceClient();
      const outbox = createDeliveryHarness({
        db,
        salesforce,
        sms: new FakeSmsSender(),
        clock: new SystemClock(),
      });
      const inputs: DeliveryInput[] = Array.from({ length: TASKS }, (_, index) => ({
        kind: 'salesforce.task.create',
        idempotencyKey: `task-call-${index}`,
        callId: `call-${index}`,
        payload: { report: { callId: `call-${index}`, summary: 'Summary' } },
      }));
      for (let start = 0; start < inputs.length; start += 200) {
        await Promise.all(inputs.slice(start, start + 200).map((input) => outbox.service.submit(input)));
      }

      const startedAt = process.hrtime.bigint();
      await drainUntilIdle(outbox.worker);
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;

      expect(salesforce.writesOf('task')).toHaveLength(TASKS);
      const callsPerThousand = (salesforce.apiCalls / TASKS) * 1000;
      expect(callsPerThousand).toBe(5);
      process.stdout.write(
        `drain on ${dialect}: ${TASKS} Tasks in ${seconds.toFixed(2)} s = ${Math.round(TASKS / seconds)} records/s, ` +
          `${callsPerThousand} Salesforce calls per 1,000 Tasks\n`,
      );
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
