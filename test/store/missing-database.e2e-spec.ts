import { existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, sqliteMarkerPath, StoreMissingError } from '../../src/store/database.factory';
import { baseEnvironment, startApp } from '../support/app-harness';
import { spawnChild } from '../support/child-process';
import { createTestDatabase } from '../support/test-database';

jest.setTimeout(60_000);

const MAIN = join(__dirname, '../../src/main.ts');

describe('a store that went missing', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'voice-crm-missing-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should refuse to start, with one JSON line saying why, when the SQLite file it had written to is deleted', async () => {
    const file = join(dir, 'voice-crm.db');
    // A first life of the service: the store is created, migrated and marked.
    await (await createDatabase({ dialect: 'sqlite', file })).destroy();
    expect(existsSync(sqliteMarkerPath(file))).toBe(true);
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) unlinkSync(file + suffix);

    const child = spawnChild({ ...baseEnvironment(dir), PORT: '0' }, MAIN);
    const started = child.waitFor(/Nest application successfully started/).then(() => 'started' as const);
    const outcome = await Promise.race([child.exited, started.catch(() => child.exited)]);
    child.process.kill('SIGKILL');

    expect(outcome).toBe(1);
    expect(existsSync(file)).toBe(false);
    const lines = child.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const failure = lines.find((line) => line.event === 'startup_failed');
    expect(failure).toMatchObject({ level: 60, err: { type: 'StoreMissingError' } });
    expect(JSON.stringify(failure)).toContain('is missing');
  });

  it('should start on a new SQLite file when none existed before, and mark it', async () => {
    const running = await startApp({ DATABASE_URL: `sqlite:${join(dir, 'fresh.db')}` });
    await running.close();

    expect(existsSync(sqliteMarkerPath(join(dir, 'fresh.db')))).toBe(true);
  });

  it('should refuse a missing SQLite file outright with STORE_REQUIRE_EXISTING', async () => {
    const failure = await startApp({
      DATABASE_URL: `sqlite:${join(dir, 'never.db')}`,
      STORE_REQUIRE_EXISTING: 'true',
    }).then(
      (running) => running.close().then(() => undefined),
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(StoreMissingError);
    expect(existsSync(join(dir, 'never.db'))).toBe(false);
  });

  it('should refuse an unmigrated PostgreSQL schema with STORE_REQUIRE_EXISTING, and open a migrated one', async () => {
    const database = await createTestDatabase('postgres');
    try {
      await expect(createDatabase(database.location, { requireExisting: true })).rejects.toBeInstanceOf(
        StoreMissingError,
      );
      await (await createDatabase(database.location)).destroy();
      await (await createDatabase(database.location, { requireExisting: true })).destroy();
    } finally {
      await database.drop();
    }
  });
});
