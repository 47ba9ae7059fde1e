import { Injectable } from '@nestjs/common';
import { ReadinessCheck, ReadinessResult } from '../health/readiness-check';
import { sql } from 'kysely';
import { Database, dialectOf } from './database.factory';
import { InjectDatabase } from './store.tokens';

/** Readiness: the store answers a trivial query. */
@Injectable()
export class StoreHealthIndicator implements ReadinessCheck {
  readonly key = 'store' as const;

  constructor(@InjectDatabase() private readonly db: Database) {}

  async check(): Promise<ReadinessResult> {
    const dialect = dialectOf(this.db);
    try {
      await sql`select 1`.execute(this.db);
      return { up: true, details: { dialect } };
    } catch (error) {
      return {
        up: false,
        details: { dialect, error: error instanceof Error ? error.name : 'unknown error' },
      };
    }
  }
}
