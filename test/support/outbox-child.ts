/**
 * A service process for the multi-process outbox tests: the real store and outbox code against a Salesforce
 * fake whose writes all processes share through one file. `burst` accepts writes as a tool call would (commit, then try inline) and prints `accepted
 * <key>` once each is committed; `drain` runs the worker until the backlog is empty and prints its stats.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SystemClock } from '../../src/delivery/clock';
import { createDeliveryHarness } from './delivery-harness';
import { FakeSmsSender } from './fake-sms-sender';
import { createDatabase } from '../../src/store/database.factory';
import { parseDatabaseUrl } from '../../src/store/store.config';
import { FakeSalesforceClient } from './fake-salesforce.client';

async function main(): Promise<void> {
  const env = process.env;
  const mode = env.CHILD_MODE ?? 'drain';
  const db = await createDatabase(parseDatabaseUrl(env.DATABASE_URL), { poolMax: 4 });
  const salesforce = new FakeSalesforceClient({
    sharedFile: env.SINK_FILE ?? '',
    loseRate: Number(env.LOSE_RATE ?? 0),
    latencyMs: Number(env.LATENCY_MS ?? 0),
  });
  const outbox = createDeliveryHarness({
    db,
    salesforce,
    sms: new FakeSmsSender(false),
    clock: new SystemClock(),
    config: {
      leaseMs: Number(env.LEASE_MS ?? 2000),
      batchSize: Number(env.BATCH_SIZE ?? 200),
      pollIntervalMs: 20,
      backoffBaseMs: 20,
      backoffMaxMs: 200,
      maxAttempts: 1000,
    },
  });
  outbox.worker.start();
  process.stdout.write('ready\n');

  if (mode === 'burst') {
    const start = Number(env.START ?? 0);
    for (let index = start; index < start + Number(env.COUNT ?? 1000); index++) {
      const callId = `call-${index}`;
      if (index % 3 === 0) {
        const key = `case-${index}`;
        const record = await outbox.service.submit({
          kind: 'salesforce.case.create',
          idempotencyKey: key,
          callId,
          payload: {
            idempotencyKey: key,
            issueType: 'technical',
            subject: 'Line down',
            description: 'No tone',
          },
        });
        process.stdout.write(`accepted ${key}\n`);
        void outbox.service.runInline(record, 50);
      } else if (index % 6 === 1) {
        const key = `comment-${index}`;
        const record = await outbox.service.submit({
          kind: 'salesforce.case.comment',
          idempotencyKey: key,
          callId,
          payload: { caseId: `500${String(index).padStart(12, '0')}`, body: key },
        });
        process.stdout.write(`accepted ${key}\n`);
        void outbox.service.runInline(record, 50);
      } else {
        await outbox.service.submit({
          kind: 'salesforce.task.create',
          idempotencyKey: `task-${callId}`,
          callId,
          payload: { report: { callId, summary: 'Summary' } },
        });
        process.stdout.write(`accepted task-${callId}\n`);
      }
    }
    await sleep(60_000);
    return;
  }

  const startedAt = Date.now();
  while ((await outbox.service.backlog()).pending > 0) await sleep(50);
  const elapsedMs = Date.now() - startedAt;
  await outbox.worker.beforeApplicationShutdown();
  process.stdout.write(
    `stats ${JSON.stringify({ pid: process.pid, elapsedMs, apiCalls: salesforce.apiCalls, taskApiCalls: salesforce.taskApiCalls })}\n`,
  );
  salesforce.close();
  await db.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `child failed: ${error instanceof Error ? (error.stack ?? error.message) : 'unknown'}\n`,
  );
  process.exit(1);
});
