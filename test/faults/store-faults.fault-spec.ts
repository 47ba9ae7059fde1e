import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Database } from '../../src/store/database.factory';
import { DATABASE } from '../../src/store/store.tokens';
import { CallWorld, startCallWorld } from '../support/call-harness';
import { createTestDatabase, terminateBackends, TestDatabase } from '../support/test-database';
import { runCalls, settleAndCount } from './call-load';
import { printReport, report } from './fault-report';

jest.setTimeout(180_000);

const CALLS = 16;

async function readiness(world: CallWorld): Promise<number> {
  return (await fetch(`${world.app.url}/health/ready`)).status;
}

afterAll(() => printReport('Store faults (npm run test:faults)'));

describe('PostgreSQL connections terminated under load', () => {
  let database: TestDatabase;
  let world: CallWorld;
  const applicationName = `voice-crm-faults-${randomUUID().slice(0, 8)}`;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const url = new URL(database.url);
    url.searchParams.set('application_name', applicationName);
    world = await startCallWorld({ DATABASE_URL: url.toString(), TOOL_WRITE_BUDGET_MS: '500' });
  });
  afterAll(async () => {
    await world.close();
    await database.drop();
  });

  it('should survive every termination, answer 503 for what it could not store, and lose nothing', async () => {
    let terminated = 0;
    let running = true;
    const killer = (async () => {
      while (running) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        terminated += await terminateBackends(applicationName);
      }
    })();
    const runs = await runCalls(world, CALLS, 8, 5);
    running = false;
    await killer;
    const figures = await settleAndCount(
      world,
      `PostgreSQL: ${terminated} connections terminated`,
      runs,
      Date.now(),
    );
    report(figures);

    expect(terminated).toBeGreaterThan(0);
    expect(figures.callsCarried).toBe(`${CALLS}/${CALLS}`);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);
    expect(await readiness(world)).toBe(200);
  });
});

describe('a SQLite store turned read-only under load', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld({ TOOL_WRITE_BUDGET_MS: '500' });
  });
  afterAll(() => world.close());

  it('should answer 503 while read-only, report store down, and lose nothing once writable', async () => {
    const db = world.app.app.get<Database>(DATABASE);
    await sql.raw('pragma query_only = on').execute(db);
    const readOnlyReadiness = await readiness(world);
    // VAPI retries 3 times within ~7 s; the store comes back after 1 s.
    const restore = new Promise<number>((resolve) =>
      setTimeout(() => {
        void sql
          .raw('pragma query_only = off')
          .execute(db)
          .then(() => resolve(Date.now()));
      }, 1000),
    );
    const runs = await runCalls(world, CALLS, 8, 3);
    const figures = await settleAndCount(world, 'SQLite read-only for 1 s', runs, await restore);
    report(figures);

    expect(readOnlyReadiness).toBe(503);
    expect(figures.retried).toBeGreaterThan(0);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);
    expect(await readiness(world)).toBe(200);
  });
});

/**
 * A full disk, for real: the SQLite file on a 4 MB tmpfs filled up by another file. Needs root (mount); the CI
 * machine and the build containers run as root.
 */
describe('a SQLite store on a full disk', () => {
  const mountPoint = join(tmpdir(), `voice-crm-full-${randomUUID().slice(0, 8)}`);
  const filler = join(mountPoint, 'filler');
  let world: CallWorld;
  beforeAll(async () => {
    mkdirSync(mountPoint, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]);
    world = await startCallWorld({
      DATABASE_URL: `sqlite:${join(mountPoint, 'voice-crm.db')}`,
      TOOL_WRITE_BUDGET_MS: '500',
    });
  });
  afterAll(async () => {
    await world.close();
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  function fillDisk(): void {
    const fd = openSync(filler, 'w');
    const block = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) writeSync(fd, block);
    } catch {
      // ENOSPC: the disk is full.
    } finally {
      closeSync(fd);
    }
  }

  it('should answer 503 while the disk is full, report store down, and lose nothing once space is freed', async () => {
    fillDisk();
    const fullReadiness = await readiness(world);
    const freed = new Promise<number>((resolve) =>
      setTimeout(() => {
        rmSync(filler);
        resolve(Date.now());
      }, 1000),
    );
    const runs = await runCalls(world, CALLS, 8, 3);
    const figures = await settleAndCount(world, 'SQLite disk full for 1 s (tmpfs)', runs, await freed);
    report(figures);

    expect(fullReadiness).toBe(503);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);
    expect(await readiness(world)).toBe(200);
  });
});
