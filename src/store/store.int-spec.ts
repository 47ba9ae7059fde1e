import { Kysely, Migrator, sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, dialectOf, openDatabase } from './database.factory';
import { DatabaseTokenStore } from './database-token-store';
import { migrateToLatest, migrationTableSchemaOf } from './migrations';
import { initialSchema } from './migrations/0001-initial-schema';
import { createTestDatabase, openTestDatabase } from '../../test/support/test-database';

describe('openDatabase on SQLite', () => {
  it('should create the parent directory and open the file with WAL and synchronous=FULL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voice-crm-open-'));
    const db = await createDatabase({ dialect: 'sqlite', file: join(dir, 'nested', 'store.db') });
    try {
      const pragma = async (name: string): Promise<unknown> =>
        Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('synchronous')).toBe(2);
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('busy_timeout')).toBe(5000);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should work in memory for tests', async () => {
    const db = await createDatabase({ dialect: 'sqlite', file: ':memory:' });
    await expect(db.selectFrom('deliveries').selectAll().execute()).resolves.toEqual([]);
    await db.destroy();
  });
});

describe.each(['sqlite', 'postgres'] as const)('store on %s', (dialect) => {
  it('should create every table and apply nothing the second time', async () => {
    const database = await createTestDatabase(dialect);
    const db = openDatabase(database.location);
    try {
      expect(await migrateToLatest(db)).toEqual([
        '0001-initial-schema',
        '0002-caller-assurance',
        '0003-store-resilience',
      ]);
      expect(await migrateToLatest(db)).toEqual([]);
      expect(dialectOf(db)).toBe(dialect);
      const tables = (await db.introspection.getTables()).map((table) => table.name);
      expect(tables).toEqual(
        expect.arrayContaining(['deliveries', 'calls', 'tool_results', 'salesforce_tokens']),
      );
      await db
        .insertInto('calls')
        .values({
          id: 'call-1',
          identity_kind: 'identified',
          status: 'in-progress',
          updated_at: Date.now(),
          created_at: Date.now(),
        })
        .execute();
      expect(await db.selectFrom('calls').select(['cases_created', 'created_at']).executeTakeFirst()).toEqual(
        {
          cases_created: '[]',
          created_at: expect.any(Number),
        },
      );
    } finally {
      await db.destroy();
      await database.drop();
    }
  });

  it('should keep the calls of a store created before the caller-assurance columns, as not verified', async () => {
    const database = await createTestDatabase(dialect);
    const db = openDatabase(database.location);
    try {
      const migrationTableSchema = await migrationTableSchemaOf(db);
      const first = new Migrator({
        db: db as Kysely<unknown>,
        provider: { getMigrations: () => Promise.resolve({ '0001-initial-schema': initialSchema }) },
        ...(migrationTableSchema ? { migrationTableSchema } : {}),
      });
      expect((await first.migrateToLatest()).error).toBeUndefined();
      await sql`insert into calls (id, identity_kind, contact_id, status, updated_at, created_at)
        values ('call-old', 'identified', '003000000000001AAA', 'ended', 1, 1)`.execute(db);

      expect(await migrateToLatest(db)).toEqual(['0002-caller-assurance', '0003-store-resilience']);

      expect(
        await db
          .selectFrom('calls')
          .select(['id', 'contact_id', 'on_file_number', 'verification_attempts', 'verified_at'])
          .execute(),
      ).toEqual([
        {
          id: 'call-old',
          contact_id: '003000000000001AAA',
          on_file_number: null,
          verification_attempts: 0,
          verified_at: null,
        },
      ]);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });

  it('should keep the rotated refresh token and run refreshes one at a time', async () => {
    const database = await createTestDatabase(dialect);
    const db = await openTestDatabase(database);
    try {
      // PostgreSQL: two instances stand for two replicas. SQLite serves one process: one instance.
      const first = new DatabaseTokenStore(db);
      const stores = [first, dialect === 'postgres' ? new DatabaseTokenStore(db) : first];
      expect(await stores[0].loadRefreshToken()).toBeUndefined();
      let inside = 0;
      let overlapped = false;
      const refresh = (store: DatabaseTokenStore, token: string) =>
        store.withRefreshLock(async () => {
          inside += 1;
          overlapped ||= inside > 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
          await store.saveRefreshToken(token);
          inside -= 1;
          return token;
        });

      await Promise.all([
        refresh(stores[0], 'first'),
        refresh(stores[1], 'second'),
        refresh(stores[0], 'third'),
      ]);

      expect(overlapped).toBe(false);
      expect(await stores[1].loadRefreshToken()).toBe('third');
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});

describe('two deployments in two schemas of one PostgreSQL database', () => {
  it('should migrate the second schema although the first already has its migration tables', async () => {
    const first = await createTestDatabase('postgres');
    const second = await createTestDatabase('postgres');
    try {
      const a = await openTestDatabase(first);
      await a.destroy();
      // Kysely's unqualified table check looked in every schema, found the first one's tables and failed here.
      const b = await openTestDatabase(second);
      try {
        const tables = await sql<{ table_name: string }>`
          select table_name from information_schema.tables where table_schema = current_schema()`.execute(b);
        expect(tables.rows.map((row) => row.table_name)).toEqual(
          expect.arrayContaining(['kysely_migration', 'kysely_migration_lock', 'deliveries', 'calls']),
        );
      } finally {
        await b.destroy();
      }
    } finally {
      await first.drop();
      await second.drop();
    }
  });
});
