import { Logger } from '@nestjs/common';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, PostgresAdapter, PostgresDialect, sql } from 'kysely';
import { Pool, types as pgTypes } from 'pg';
import { DatabaseSchema } from './database.types';
import { migrateToLatest, migrationTableSchemaOf } from './migrations';
import { StoreLocation } from './store.config';
import { loadSqliteDriver } from './sqlite-driver';
import { GroupCommitSqliteDialect, GroupCommitStats } from './sqlite-group-commit';
import { storeErrorCodeOf } from './store.errors';
import { withTextSanitizer } from './text-sanitizer.dialect';

export type Database = Kysely<DatabaseSchema>;
export type Dialect = StoreLocation['dialect'];

export interface DatabaseOptions {
  /** PostgreSQL pool size. */
  poolMax?: number;
  /** How long SQLite waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
  /** Refuse to start on a store that was never migrated (a missing SQLite file, an empty PostgreSQL schema). */
  requireExisting?: boolean;
}

/**
 * The store this service had written to is gone (a deleted or unmounted SQLite file). Starting on a new, empty
 * file would silently drop every accepted write still waiting in the outbox, so start-up stops instead.
 */
export class StoreMissingError extends Error {
  override readonly name = 'StoreMissingError';
}

/**
 * The sidecar written next to a SQLite file once it is migrated: proof that data existed there. Without it a
 * missing file cannot be told from a first start.
 */
export function sqliteMarkerPath(file: string): string {
  return `${resolve(file)}.initialized`;
}

const PG_INT8 = 20;

const commitStats = new WeakMap<Database, GroupCommitStats>();

/** The group-commit counters of a SQLite store (none for PostgreSQL, which groups commits by itself). */
export function sqliteCommitStatsOf(db: Database): GroupCommitStats | undefined {
  return commitStats.get(db);
}

/**
 * Opens the store. SQLite pragmas: WAL lets readers run beside the one writer; `synchronous=FULL` fsyncs the
 * WAL on every commit, because a write we acknowledged to a caller must survive power loss — WAL with
 * `synchronous=NORMAL` is only crash-safe for the process, and can lose the last commits on power failure.
 */
export function openDatabase(location: StoreLocation, options: DatabaseOptions = {}): Database {
  switch (location.dialect) {
    case 'sqlite': {
      const inMemory = location.file === ':memory:';
      if (!inMemory) mkdirSync(dirname(resolve(location.file)), { recursive: true });
      const Sqlite = loadSqliteDriver();
      const sqlite = new Sqlite(location.file);
      if (!inMemory) sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = FULL');
      sqlite.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
      sqlite.pragma('foreign_keys = ON');
      const stats = new GroupCommitStats();
      const db = new Kysely<DatabaseSchema>({
        dialect: withTextSanitizer(new GroupCommitSqliteDialect(sqlite, stats)),
      });
      commitStats.set(db, stats);
      return db;
    }
    case 'postgres': {
      const pool = new Pool({
        connectionString: location.connectionString,
        max: options.poolMax ?? 10,
        // Timestamps are epoch-ms BIGINTs and counts are BIGINT: read them as numbers (safe below 2^53).
        types: {
          getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
            oid === PG_INT8
              ? (value: string) => Number(value)
              : (pgTypes.getTypeParser(oid, format) as (
                  value: string,
                ) => unknown)) as typeof pgTypes.getTypeParser,
        },
      });
      watchConnections(pool);
      return new Kysely<DatabaseSchema>({
        dialect: withTextSanitizer(new PostgresDialect({ pool })),
      });
    }
  }
}

/**
 * A pooled connection that the server drops (restart, failover, `pg_terminate_backend`, an idle reaper) makes
 * `pg` emit 'error' on its client and on the pool; without a listener Node ends the process ("Unhandled 'error'
 * event"). The pool discards such a client by itself and opens a new connection for the next query, so
 * reconnecting needs nothing more: queries that were running fail (their callers answer 5xx or retry later, see
 * docs/operations.md) and the next ones get a fresh connection. Logged once per lost connection, by code only.
 */
function watchConnections(pool: Pool): void {
  const logger = new Logger('Database');
  const lost = (error: Error) =>
    logger.warn(
      {
        event: 'store_connection_lost',
        code: storeErrorCodeOf(error),
        pgCode: (error as { code?: string }).code,
      },
      'database connection lost; the pool reconnects on the next query',
    );
  pool.on('error', lost);
  // A checked-out client can also emit 'error' between queries; the pool's own listener covers only idle ones.
  pool.on('connect', (client) => client.on('error', () => undefined));
}

export function dialectOf<Schema>(db: Kysely<Schema>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Opens the store and brings its schema to the latest migration. */
export async function createDatabase(
  location: StoreLocation,
  options: DatabaseOptions = {},
): Promise<Database> {
  const sqliteFile =
    location.dialect === 'sqlite' && location.file !== ':memory:' ? location.file : undefined;
  if (sqliteFile) refuseMissingSqliteFile(sqliteFile, options.requireExisting ?? false);
  const db = openDatabase(location, options);
  try {
    if (location.dialect === 'postgres' && options.requireExisting) await refuseUnmigratedSchema(db);
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  if (sqliteFile && !existsSync(sqliteMarkerPath(sqliteFile))) {
    writeFileSync(
      sqliteMarkerPath(sqliteFile),
      `${JSON.stringify({ initializedAt: new Date().toISOString(), database: resolve(sqliteFile) })}\n`,
    );
  }
  return db;
}

function refuseMissingSqliteFile(file: string, requireExisting: boolean): void {
  if (existsSync(file)) return;
  const marker = sqliteMarkerPath(file);
  if (existsSync(marker)) {
    throw new StoreMissingError(
      `SQLite database ${resolve(file)} is missing, but ${marker} shows it held data: restore the file (or ` +
        'mount its volume) instead of starting empty; delete the marker only to start with an empty store on purpose',
    );
  }
  if (requireExisting) {
    throw new StoreMissingError(
      `SQLite database ${resolve(file)} does not exist and STORE_REQUIRE_EXISTING is true`,
    );
  }
}

async function refuseUnmigratedSchema(db: Database): Promise<void> {
  const schema = await migrationTableSchemaOf(db);
  const { rows } = await sql<{ found: number }>`
    select count(*)::int as found from information_schema.tables
    where table_schema = ${schema ?? 'public'} and table_name = 'kysely_migration'`.execute(db);
  if ((rows[0]?.found ?? 0) === 0) {
    throw new StoreMissingError(
      `PostgreSQL schema ${schema ?? 'public'} holds no voice-crm data and STORE_REQUIRE_EXISTING is true`,
    );
  }
}
