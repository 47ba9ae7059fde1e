import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, openTestDatabase, TestDatabase } from '../support/test-database';
import { DeliveryEnvironment } from '../../src/delivery/delivery.config';
import { killDuringBursts, RunningChild, spawnChild } from '../support/child-process';
import { FakeSalesforceClient } from '../support/fake-salesforce.client';

jest.setTimeout(120_000);

const ROUNDS = 4;

/**
 * kill -9 of a service process at random points during a burst of writes (with lost responses on top), then a
 * restart: every accepted write must land exactly once.
 */
describe.each(['sqlite', 'postgres'] as const)('outbox surviving kill -9 on %s', (dialect) => {
  let database: TestDatabase;
  let dir: string;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    dir = mkdtempSync(join(tmpdir(), 'voice-crm-sink-'));
  });

  afterEach(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should land every accepted write exactly once after kills at random points and a restart', async () => {
    const sinkFile = join(dir, 'sink.db');
    const env = {
      DATABASE_URL: database.url,
      SINK_FILE: sinkFile,
      LOSE_RATE: '0.1',
      LATENCY_MS: '2',
      LEASE_MS: '1500',
    };

    const { accepted, exitCodes } = await killDuringBursts(env, {
      rounds: ROUNDS,
      minPauseMs: 150,
      maxPauseMs: 1050,
    });
    expect(exitCodes).toEqual(Array(ROUNDS).fill(null));
    const restarted = spawnChild({ ...env, CHILD_MODE: 'drain', LOSE_RATE: '0' });
    expect(await restarted.exited).toBe(0);

    const writes = FakeSalesforceClient.readShared(sinkFile);
    const landed = new Map<string, number>();
    for (const write of writes) {
      // The child's idempotency keys: the case's own key, the comment's body, task-<call id>.
      const key =
        write.type === 'task' ? `task-${write.key}` : write.type === 'comment' ? write.body : write.key;
      landed.set(key, (landed.get(key) ?? 0) + 1);
    }
    const db = await openTestDatabase(database);
    try {
      const rows = await db
        .selectFrom('deliveries')
        .select(['idempotency_key', 'status', 'in_doubt'])
        .execute();
      // The kills and lost responses did leave writes in doubt, so the check-before-retry path was exercised.
      expect(rows.some((row) => row.in_doubt === 1)).toBe(true);
      expect(rows.filter((row) => row.status !== 'succeeded')).toEqual([]);
      // Committed rows include some whose acknowledgement the kill swallowed; they must land once too.
      expect(new Set(rows.map((row) => row.idempotency_key))).toEqual(new Set(landed.keys()));
    } finally {
      await db.destroy();
    }
    expect(accepted.size).toBeGreaterThan(0);
    // Cases, comments and Tasks each take their own check-before-retry path.
    expect([...accepted].some((key) => key.startsWith('comment-'))).toBe(true);
    expect([...accepted].filter((key) => landed.get(key) !== 1)).toEqual([]);
    expect([...landed].filter(([, count]) => count > 1)).toEqual([]);
  });
});

/** How soon a restarted service must have delivered what it accepted before kill -9 (issue 14). */
const RESTART_RECOVERY_MS = 10_000;
/** How soon the surviving PostgreSQL replicas must have finished a killed replica's work. */
const REPLICA_TAKEOVER_MS = 30_000;

/** Resolves with the exit code, or rejects when the child is still running after `ms`. */
function exitWithin(child: RunningChild, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`still draining after ${ms} ms`)), ms);
  });
  return Promise.race([child.exited, late]).finally(() => clearTimeout(timer));
}

function landedOnce(sinkFile: string, accepted: Set<string>): string[] {
  const landed = new Map<string, number>();
  for (const write of FakeSalesforceClient.readShared(sinkFile)) {
    const key =
      write.type === 'task' ? `task-${write.key}` : write.type === 'comment' ? write.body : write.key;
    landed.set(key, (landed.get(key) ?? 0) + 1);
  }
  return [...accepted].filter((key) => landed.get(key) !== 1);
}

describe('recovery after kill -9', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'voice-crm-sink-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function killDuringBurst(env: Record<string, string>): Promise<Set<string>> {
    const child = spawnChild({ ...env, CHILD_MODE: 'burst', START: '0', COUNT: '10000' });
    await child.waitFor(/^accepted /);
    await sleep(400);
    child.process.kill('SIGKILL');
    expect(await child.exited).toBeNull();
    return new Set(
      child.lines
        .filter((line) => line.startsWith('accepted '))
        .map((line) => line.slice('accepted '.length)),
    );
  }

  it('should deliver on SQLite, within 10 s of the restart, what it accepted before the kill, although its leases had a minute left', async () => {
    const database = await createTestDatabase('sqlite');
    let restarted: RunningChild | undefined;
    try {
      const sinkFile = join(dir, 'sink.db');
      // Slow writes keep rows leased at the moment of the kill; a minute-long lease cannot be waited out in 10 s.
      const env = { DATABASE_URL: database.url, SINK_FILE: sinkFile, LATENCY_MS: '20', LEASE_MS: '60000' };
      const accepted = await killDuringBurst(env);

      restarted = spawnChild({ ...env, CHILD_MODE: 'drain', LATENCY_MS: '0' });
      expect(await exitWithin(restarted, RESTART_RECOVERY_MS)).toBe(0);

      expect(accepted.size).toBeGreaterThan(0);
      expect(restarted.lines.some((line) => line.includes('delivery_leases_reclaimed'))).toBe(true);
      expect(landedOnce(sinkFile, accepted)).toEqual([]);
    } finally {
      restarted?.process.kill('SIGKILL');
      await database.drop();
    }
  });

  it('should have the other replicas on PostgreSQL take over a killed replica’s leased work within 30 s', async () => {
    const database = await createTestDatabase('postgres');
    const survivors: RunningChild[] = [];
    try {
      const sinkFile = join(dir, 'sink.db');
      // The default lease (DELIVERY_LEASE_SECONDS), renewed by the heartbeat while a write runs.
      const leaseMs = String(new DeliveryEnvironment().DELIVERY_LEASE_SECONDS * 1000);
      const env = { DATABASE_URL: database.url, SINK_FILE: sinkFile, LATENCY_MS: '20', LEASE_MS: leaseMs };
      const accepted = await killDuringBurst(env);

      survivors.push(
        spawnChild({ ...env, CHILD_MODE: 'drain', LATENCY_MS: '0' }),
        spawnChild({ ...env, CHILD_MODE: 'drain', LATENCY_MS: '0' }),
      );
      expect(
        await Promise.all(survivors.map((survivor) => exitWithin(survivor, REPLICA_TAKEOVER_MS))),
      ).toEqual([0, 0]);

      expect(accepted.size).toBeGreaterThan(0);
      expect(landedOnce(sinkFile, accepted)).toEqual([]);
    } finally {
      for (const survivor of survivors) survivor.process.kill('SIGKILL');
      await database.drop();
    }
  });
});
