import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDatabase, Database, Dialect } from '../../src/store/database.factory';
import { StoreLocation } from '../../src/store/store.config';

/** The machine's PostgreSQL for tests; each test file gets its own schema in it. */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  dialect: Dialect;
  /** A `DATABASE_URL` value that opens this database (child processes, app boots). */
  url: string;
  location: StoreLocation;
  /** Drops the schema (PostgreSQL) or deletes the files (SQLite). Close every connection first. */
  drop(): Promise<void>;
}

/** A fresh, empty, isolated database: a temp SQLite file, or a new schema on the test PostgreSQL server. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'voice-crm-store-'));
    const file = join(dir, 'test.db');
    return {
      dialect,
      url: `sqlite:${file}`,
      location: { dialect, file },
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const schema = `test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await withAdminClient((client) => client.query(`create schema ${schema}`));
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const connectionString = url.toString();
  return {
    dialect,
    url: connectionString,
    location: { dialect, connectionString },
    drop: () =>
      withAdminClient((client) => client.query(`drop schema if exists ${schema} cascade`)).then(
        () => undefined,
      ),
  };
}

/** Opens and migrates a test database. */
export function openTestDatabase(database: TestDatabase): Promise<Database> {
  return createDatabase(database.location, { poolMax: 5 });
}

async function withAdminClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for each test of the calling `describe` (created in `beforeEach`, dropped in `afterEach`),
 * opened and migrated: the set-up every store-backed spec needs.
 */
export function useTestDatabase(dialect: Dialect): {
  readonly db: Database;
  readonly database: TestDatabase;
} {
  let database: TestDatabase | undefined;
  let db: Database | undefined;
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    db = await openTestDatabase(database);
  });
  afterEach(async () => {
    await db?.destroy();
    await database?.drop();
    db = undefined;
    database = undefined;
  });
  return {
    get db(): Database {
      if (!db) throw new Error('the test database is open only inside a test');
      return db;
    },
    get database(): TestDatabase {
      if (!database) throw new Error('the test database exists only inside a test');
      return database;
    },
  };
}

/**
 * Ends every PostgreSQL connection of `applicationName` from a second connection (`pg_terminate_backend`), as a
 * failover, a server restart or a connection reaper would; returns how many were ended.
 */
export async function terminateBackends(applicationName: string): Promise<number> {
  const admin = new Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
      [applicationName],
    );
    return rowCount ?? 0;
  } finally {
    await admin.end();
  }
}
