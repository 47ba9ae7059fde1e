import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../../src/delivery/clock';
import { DeliveryInput } from '../../src/delivery/delivery.types';
import { createDeliveryHarness } from '../support/delivery-harness';
import { FakeSalesforceClient } from '../support/fake-salesforce.client';
import { FakeSmsSender } from '../support/fake-sms-sender';
import { createTestDatabase, openTestDatabase, TestDatabase } from '../support/test-database';
import { spawnChild } from '../support/child-process';

jest.setTimeout(120_000);

const TASKS = 3000;
const CASES = 300;

describe('two service processes on one PostgreSQL database', () => {
  let database: TestDatabase;
  let dir: string;

  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    dir = mkdtempSync(join(tmpdir(), 'voice-crm-sink-'));
  });

  afterEach(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should never execute a row twice while both drain one backlog', async () => {
    const db = await openTestDatabase(database);
    const outbox = createDeliveryHarness({
      db,
      salesforce: new FakeSalesforceClient(),
      sms: new FakeSmsSender(),
      clock: new SystemClock(),
    });
    const inputs: DeliveryInput[] = [];
    for (let index = 0; index < TASKS; index++) {
      const callId = `call-${index}`;
      inputs.push({
        kind: 'salesforce.task.create',
        idempotencyKey: `task-${callId}`,
        callId,
        payload: { report: { callId, summary: 'Summary' } },
      });
    }
    for (let index = 0; index < CASES; index++) {
      const key = `case-${index}`;
      inputs.push({
        kind: 'salesforce.case.create',
        idempotencyKey: key,
        callId: `case-call-${index}`,
        payload: { idempotencyKey: key, issueType: 'account', subject: 'Access', description: 'Locked out' },
      });
    }
    for (let start = 0; start < inputs.length; start += 100) {
      await Promise.all(inputs.slice(start, start + 100).map((input) => outbox.service.submit(input)));
    }
    await db.destroy();

    const sinkFile = join(dir, 'sink.db');
    // Small batches and a little latency keep both processes claiming side by side for the whole drain.
    const env = {
      DATABASE_URL: database.url,
      SINK_FILE: sinkFile,
      CHILD_MODE: 'drain',
      BATCH_SIZE: '50',
      LATENCY_MS: '3',
      LEASE_MS: '60000',
    };
    const replicas = [spawnChild(env), spawnChild(env)];
    expect(await Promise.all(replicas.map((replica) => replica.exited))).toEqual([0, 0]);

    const writes = FakeSalesforceClient.readShared(sinkFile);
    const counts = new Map<string, number>();
    for (const write of writes)
      counts.set(`${write.type}:${write.key}`, (counts.get(`${write.type}:${write.key}`) ?? 0) + 1);
    expect(counts.size).toBe(TASKS + CASES);
    expect([...counts].filter(([, count]) => count !== 1)).toEqual([]);

    const byProcess = new Map<number, number>();
    for (const write of writes) byProcess.set(write.pid, (byProcess.get(write.pid) ?? 0) + 1);
    const stats = replicas.flatMap((replica) => replica.lines.filter((line) => line.startsWith('stats ')));
    process.stdout.write(
      `two replicas: writes per process ${JSON.stringify([...byProcess.values()])}; ${stats.join('; ')}\n`,
    );
  });
});
