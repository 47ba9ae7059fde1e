import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { spawnChild } from '../support/child-process';
import { createTestDatabase, terminateBackends, TestDatabase } from '../support/test-database';

jest.setTimeout(60_000);

const STORE_CHILD = join(__dirname, '../support/store-child.ts');

/**
 * A failover, a server restart or a connection reaper ends the service's PostgreSQL connections. The process
 * must survive it (no "Unhandled 'error' event") and write again on new connections.
 */
describe('PostgreSQL connections terminated under the service', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase('postgres');
  });
  afterEach(() => database.drop());

  it.each([
    ['idle', '1'],
    ['under load', '4'],
  ])('should survive its connections being terminated while %s, and write again', async (_state, writers) => {
    const applicationName = `voice-crm-loss-${randomUUID().slice(0, 8)}`;
    const url = new URL(database.url);
    url.searchParams.set('application_name', applicationName);
    const child = spawnChild({ DATABASE_URL: url.toString(), WRITERS: writers }, STORE_CHILD);
    try {
      await child.waitFor(/^wrote$/);
      for (let round = 0; round < 3; round++) {
        expect(await terminateBackends(applicationName)).toBeGreaterThan(0);
        const before = child.lines.length;
        await new Promise((resolve) => setTimeout(resolve, 300));
        // Still alive, and writing on fresh connections after the terminated ones failed.
        const exited = await Promise.race([child.exited, Promise.resolve('running' as const)]);
        expect(exited).toBe('running');
        expect(child.lines.slice(before)).toContain('wrote');
      }
    } finally {
      child.process.kill('SIGKILL');
      await child.exited;
    }
  });
});
