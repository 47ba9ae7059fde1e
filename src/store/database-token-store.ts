import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { SalesforceTokenStore } from '../salesforce/salesforce-token.store';
import { Database, dialectOf } from './database.factory';
import { InjectDatabase } from './store.tokens';

/** Arbitrary constant naming the refresh lock among PostgreSQL advisory locks. */
const REFRESH_LOCK_KEY = 7_305_114_201;
const TOKEN_NAME = 'salesforce';

/**
 * Refresh tokens and the refresh lock in the store, so replicas share one rotating refresh token.
 *
 * PostgreSQL: `pg_advisory_xact_lock` in a transaction held for the duration of `fn`; the lock is released
 * by commit or rollback, so a crashed replica cannot leave it held. Loads and saves use other pool
 * connections and commit at once: a rotated token must be kept even if `fn` fails afterwards.
 *
 * SQLite (one machine, normally one process): a process-local queue. Holding `BEGIN IMMEDIATE` across the
 * HTTP refresh would occupy the process's only connection and stall every other query meanwhile; the save
 * itself is a single atomic upsert.
 */
@Injectable()
export class DatabaseTokenStore extends SalesforceTokenStore {
  private localTail: Promise<unknown> = Promise.resolve();

  constructor(@InjectDatabase() private readonly db: Database) {
    super();
  }

  withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
    const locked = (): Promise<T> =>
      dialectOf(this.db) === 'postgres'
        ? this.db.transaction().execute(async (trx) => {
            await sql`select pg_advisory_xact_lock(${REFRESH_LOCK_KEY})`.execute(trx);
            return fn();
          })
        : fn();
    // The local queue also keeps one process from tying up several pool connections waiting on the lock.
    const run = this.localTail.then(locked, locked);
    this.localTail = run.catch(() => undefined);
    return run;
  }

  async loadRefreshToken(): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('salesforce_tokens')
      .select('refresh_token')
      .where('name', '=', TOKEN_NAME)
      .executeTakeFirst();
    return row?.refresh_token;
  }

  async saveRefreshToken(refreshToken: string): Promise<void> {
    const now = Date.now();
    await this.db
      .insertInto('salesforce_tokens')
      .values({ name: TOKEN_NAME, refresh_token: refreshToken, updated_at: now })
      .onConflict((conflict) =>
        conflict.column('name').doUpdateSet({ refresh_token: refreshToken, updated_at: now }),
      )
      .execute();
  }
}
