import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeliveryEnvironment } from '../../src/delivery/delivery.config';
import { killDuringBursts, spawnChild } from '../support/child-process';
import { FakeSalesforceClient } from '../support/fake-salesforce.client';
import { createTestDatabase } from '../support/test-database';
import { printReport, report } from './fault-report';

jest.setTimeout(180_000);

const KILLS = 3;

/**
 * kill -9 of the service three times while it accepts writes (cases, comments and call logs, with some
 * responses lost), then a restart: what was accepted lands once, within seconds of the restart.
 */
afterAll(() => printReport('kill -9 (npm run test:faults)'));

describe.each(['sqlite', 'postgres'] as const)('kill -9 ×3 under load on %s', (dialect) => {
  it('should land every accepted write exactly once, soon after the restart', async () => {
    const database = await createTestDatabase(dialect);
    const dir = mkdtempSync(join(tmpdir(), 'voice-crm-kill-'));
    try {
      const sinkFile = join(dir, 'sink.db');
      const leaseMs = String(new DeliveryEnvironment().DELIVERY_LEASE_SECONDS * 1000);
      const env = {
        DATABASE_URL: database.url,
        SINK_FILE: sinkFile,
        LOSE_RATE: '0.05',
        LATENCY_MS: '5',
        LEASE_MS: leaseMs,
      };
      const { accepted } = await killDuringBursts(env, { rounds: KILLS, minPauseMs: 300, maxPauseMs: 800 });
      const restartedAt = Date.now();
      const restarted = spawnChild({ ...env, CHILD_MODE: 'drain', LOSE_RATE: '0' });
      expect(await restarted.exited).toBe(0);
      const recoverySeconds = (Date.now() - restartedAt) / 1000;

      const landed = new Map<string, number>();
      for (const write of FakeSalesforceClient.readShared(sinkFile)) {
        const key =
          write.type === 'task' ? `task-${write.key}` : write.type === 'comment' ? write.body : write.key;
        landed.set(key, (landed.get(key) ?? 0) + 1);
      }
      const lost = [...accepted].filter((key) => !landed.has(key)).length;
      const duplicated = [...landed.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0);
      report({
        scenario: `kill -9 ×${KILLS} (${dialect}, ${accepted.size} writes accepted)`,
        callsCarried: `${accepted.size} accepted`,
        fallbacksSpoken: 0,
        retried: 0,
        lost,
        duplicated,
        recoverySeconds,
      });

      expect(accepted.size).toBeGreaterThan(0);
      expect(lost).toBe(0);
      expect(duplicated).toBe(0);
      // A single SQLite process reclaims its own leases; PostgreSQL replicas wait out one lease at most.
      expect(recoverySeconds).toBeLessThan(dialect === 'sqlite' ? 10 : 30);
    } finally {
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
