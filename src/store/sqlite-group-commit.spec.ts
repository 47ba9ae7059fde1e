import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { loadSqliteDriver } from './sqlite-driver';
import { GroupCommitSqliteDialect, GroupCommitStats } from './sqlite-group-commit';

interface Schema {
  parents: { id: number };
  children: { id: number; parent_id: number };
}

/**
 * Group commit on a real SQLite file, watched from a second connection: what a caller was told is stored must
 * be committed (visible to another connection) at that moment.
 */
describe('GroupCommitSqliteDialect', () => {
  const Sqlite = loadSqliteDriver();
  let dir: string;
  let file: string;
  let db: Kysely<Schema>;
  let stats: GroupCommitStats;
  let observer: InstanceType<typeof Sqlite>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'voice-crm-group-commit-'));
    file = join(dir, 'store.db');
    const sqlite = new Sqlite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    stats = new GroupCommitStats();
    db = new Kysely<Schema>({ dialect: new GroupCommitSqliteDialect(sqlite, stats) });
    await sql`create table parents (id integer primary key)`.execute(db);
    // Deferred: a violation is found at COMMIT, which is how a failing COMMIT is provoked here.
    await sql`create table children (id integer primary key, parent_id integer not null
      references parents (id) deferrable initially deferred)`.execute(db);
    await db.insertInto('parents').values({ id: 1 }).execute();
    observer = new Sqlite(file, { readonly: true });
  });

  afterEach(async () => {
    observer.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const committed = (id: number): boolean =>
    observer.prepare('select id from children where id = ?').get(id) !== undefined;

  const insertChild = (id: number, parentId = 1) =>
    db.transaction().execute(async (trx) => {
      await trx.insertInto('children').values({ id, parent_id: parentId }).execute();
      return id;
    });

  it('should share one COMMIT among concurrent writes and answer each only once it is committed', async () => {
    const before = { ...stats };
    const seenCommitted: boolean[] = [];
    await Promise.all(
      Array.from({ length: 50 }, (_, k) =>
        (k % 2 === 0
          ? insertChild(100 + k)
          : db
              .insertInto('children')
              .values({ id: 100 + k, parent_id: 1 })
              .execute()
        ).then(() => seenCommitted.push(committed(100 + k))),
      ),
    );
    expect(seenCommitted).toHaveLength(50);
    expect(seenCommitted.every(Boolean)).toBe(true);
    expect(stats.operations - before.operations).toBe(50);
    // Fifty writes queued in one turn of the event loop: far fewer fsyncs than writes.
    expect(stats.commits - before.commits).toBeLessThanOrEqual(2);
  });

  it('should commit a write that is awaited alone in its own group', async () => {
    const before = stats.commits;
    await insertChild(1);
    expect(committed(1)).toBe(true);
    await insertChild(2);
    expect(committed(2)).toBe(true);
    expect(stats.commits - before).toBe(2);
  });

  it('should undo only the transaction that failed, not the others in its group', async () => {
    const results = await Promise.allSettled([
      insertChild(10),
      db.transaction().execute(async (trx) => {
        await trx.insertInto('children').values({ id: 11, parent_id: 1 }).execute();
        throw new Error('the handler failed');
      }),
      insertChild(12),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect([committed(10), committed(11), committed(12)]).toEqual([true, false, true]);
  });

  it('should fail every write of a group whose COMMIT fails, store none of them, and go on with the next', async () => {
    const before = stats.failedCommits;
    // Child 21 names a parent that does not exist: the deferred foreign key fails the group's COMMIT.
    const results = await Promise.allSettled([insertChild(20), insertChild(21, 999), insertChild(22)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect([committed(20), committed(21), committed(22)]).toEqual([false, false, false]);
    expect(stats.failedCommits - before).toBe(1);

    await insertChild(23);
    expect(committed(23)).toBe(true);
  });

  it('should make a read that ran inside an open group wait for its COMMIT', async () => {
    const write = insertChild(30);
    const read = db
      .selectFrom('children')
      .select('id')
      .where('id', '=', 30)
      .executeTakeFirst()
      .then((row) => ({ row, committed: committed(30) }));
    await write;
    // The read saw the group's row; it was answered only once that row was committed.
    await expect(read).resolves.toEqual({ row: { id: 30 }, committed: true });
  });

  it('should commit what is pending when the store is closed', async () => {
    const pending = insertChild(40);
    await db.destroy();
    await pending;
    expect(committed(40)).toBe(true);
    // afterEach destroys again: a second destroy of a closed store is harmless.
    db = new Kysely<Schema>({ dialect: new GroupCommitSqliteDialect(new Sqlite(file), stats) });
  });
});
