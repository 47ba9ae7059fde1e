import { Injectable } from '@nestjs/common';
import { ReadinessCheck, ReadinessResult } from '../health/readiness-check';
import { Database, dialectOf } from './database.factory';
import { StoreError } from './store.errors';
import { InjectDatabase } from './store.tokens';

/**
 * Readiness: the store takes a write. A `select 1` answers on a read-only SQLite file, a full disk or a
 * PostgreSQL standby, which cannot keep what the webhooks accept; an upsert of one heartbeat row (fsynced like
 * every commit) cannot. The row is shared by every replica, so it never grows.
 */
@Injectable()
export class StoreHealthIndicator implements ReadinessCheck {
  readonly key = 'store' as const;

  constructor(@InjectDatabase() private readonly db: Database) {}

  async check(): Promise<ReadinessResult> {
    const dialect = dialectOf(this.db);
    const now = Date.now();
    try {
      await this.db
        .insertInto('store_heartbeats')
        .values({ name: 'readiness', beat_at: now })
        .onConflict((conflict) => conflict.column('name').doUpdateSet({ beat_at: now }))
        .execute();
      return { up: true, details: { dialect, writable: true } };
    } catch (error) {
      return { up: false, details: { dialect, writable: false, error: StoreError.from(error).code } };
    }
  }
}
