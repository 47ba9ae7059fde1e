import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

/**
 * Group commit for SQLite, as a Kysely dialect over better-sqlite3.
 *
 * With `synchronous=FULL` every COMMIT fsyncs the WAL, and better-sqlite3 does it on the event loop: about
 * 1.5 ms during which no request is served. Under a burst, hundreds of small writes (status updates, transcripts,
 * tool results, outbox rows) each paid that price one after the other. Here the writes that arrive while one group
 * is open share one transaction and one fsync:
 *
 * - the first write opens a group (`BEGIN IMMEDIATE`) and schedules its COMMIT for the next turn of the event
 *   loop (setImmediate), after the writes already queued for the connection;
 * - each Kysely transaction inside the group is a SAVEPOINT: its rollback undoes only its own work;
 * - every statement that ran inside a group — a write, or a read that may have seen the group's uncommitted rows —
 *   resolves only after the group's COMMIT has returned, that is after the fsync. So a caller is never told a write
 *   is stored before it would survive kill -9 or a power cut: the guarantee of one COMMIT per write, kept.
 * - when the COMMIT fails (disk full, I/O error), every operation of the group fails with that error and nothing of
 *   the group is stored: their callers answer 503 and VAPI retries, as for any failed write.
 *
 * Kysely's own SqliteDriver runs one BEGIN … COMMIT per transaction and prepares every statement again; this one
 * also keeps prepared statements (bounded). Written here because no maintained Kysely dialect does group commit.
 */
export class GroupCommitSqliteDialect implements Dialect {
  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly stats: GroupCommitStats = new GroupCommitStats(),
  ) {}

  createDriver(): Driver {
    return new GroupCommitSqliteDriver(this.sqlite, this.stats);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter(): SqliteAdapter {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<unknown>): SqliteIntrospector {
    return new SqliteIntrospector(db);
  }
}

/** What the store's metrics report: operations that waited on a COMMIT, and the COMMITs (fsyncs) they shared. */
export class GroupCommitStats {
  /** Transactions and single statements that ran inside a group. */
  operations = 0;
  commits = 0;
  failedCommits = 0;
}

/** Writes grouped into one transaction; `done` settles when its COMMIT has returned (or failed). */
class CommitGroup {
  readonly done: Promise<void>;
  /** Set when SQLite ended the transaction by itself (a failed statement can roll the whole of it back). */
  broken: Error | undefined;
  private settle!: (error?: Error) => void;

  constructor() {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
    });
    // A group nobody waits on (its only member failed on its own) must not surface as an unhandled rejection.
    this.done.catch(() => undefined);
  }

  resolve(): void {
    this.settle();
  }
  reject(error: Error): void {
    this.settle(error);
  }
}

/** One holder at a time, served in arrival order. */
class FifoMutex {
  private locked = false;
  private readonly waiting: (() => void)[] = [];

  lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  unlock(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.locked = false;
  }
}

/**
 * better-sqlite3 answers synchronously; Kysely expects promises. The executor turns a throw into a rejection with
 * the driver's own error (its `code` is what StoreError reads).
 */
function settled<T>(run: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(run()));
}

/** Prepared statements kept per SQL text; the store's queries are a few dozen shapes, the bound keeps IN lists in check. */
const STATEMENT_CACHE_SIZE = 256;
const SAVEPOINT = 'voice_crm_write';

export class GroupCommitSqliteDriver implements Driver {
  private readonly mutex = new FifoMutex();
  private readonly connection: GroupCommitConnection;
  private group: CommitGroup | undefined;
  private closed = false;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly stats: GroupCommitStats,
  ) {
    this.connection = new GroupCommitConnection(sqlite, this);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection;
  }

  beginTransaction(connection: DatabaseConnection): Promise<void> {
    return settled(() => {
      (connection as GroupCommitConnection).join(this.openGroup());
      this.sqlite.exec(`SAVEPOINT ${SAVEPOINT}`);
    });
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return settled(() => {
      this.checkGroup(connection as GroupCommitConnection);
      this.sqlite.exec(`RELEASE ${SAVEPOINT}`);
    });
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return settled(() => {
      if (this.checkGroup(connection as GroupCommitConnection, false)) {
        this.sqlite.exec(`ROLLBACK TO ${SAVEPOINT}`);
        this.sqlite.exec(`RELEASE ${SAVEPOINT}`);
      }
    });
  }

  /**
   * The connection goes back first, so the next writer can join the same group; then the caller waits for the
   * group's COMMIT (its fsync), and fails with the COMMIT's error if there is one.
   */
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const joined = (connection as GroupCommitConnection).leave();
    this.mutex.unlock();
    if (!joined) return;
    this.stats.operations++;
    await joined.done;
  }

  async destroy(): Promise<void> {
    await this.mutex.lock();
    try {
      const open = this.currentGroup();
      if (open) this.commit(open);
    } finally {
      this.closed = true;
      this.connection.clear();
      this.sqlite.close();
      this.mutex.unlock();
    }
  }

  /** The group a write joins: the open one, or a new one whose COMMIT runs on the next turn of the event loop. */
  openGroup(): CommitGroup {
    const open = this.currentGroup();
    if (open) return open;
    if (this.closed) throw new Error('the SQLite store is closed');
    this.sqlite.exec('BEGIN IMMEDIATE');
    const group = new CommitGroup();
    this.group = group;
    setImmediate(() => void this.commitWhenFree(group));
    return group;
  }

  /**
   * The open group, if any: a read inside it may see its uncommitted rows, so it waits for the COMMIT too. A
   * group that SQLite ended by itself is broken here, so `this.group` is only ever a group that holds its
   * transaction.
   */
  currentGroup(): CommitGroup | undefined {
    if (this.group && !this.sqlite.inTransaction) this.breakGroup(this.group);
    return this.group;
  }

  private async commitWhenFree(group: CommitGroup): Promise<void> {
    await this.mutex.lock();
    try {
      if (this.currentGroup() === group) this.commit(group);
    } finally {
      this.mutex.unlock();
    }
  }

  private commit(group: CommitGroup): void {
    this.group = undefined;
    try {
      this.sqlite.exec('COMMIT');
      this.stats.commits++;
      group.resolve();
    } catch (error) {
      this.stats.failedCommits++;
      if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
      group.reject(error as Error);
    }
  }

  /**
   * SQLite rolled the group's transaction back by itself (SQLITE_FULL, SQLITE_IOERR, …): what the group's members
   * wrote is gone, so each of them fails, and the next write starts a new group.
   */
  breakGroup(group: CommitGroup, cause?: unknown): void {
    if (this.group === group) this.group = undefined;
    // The failure that ended the transaction, so every member reports its code (SQLITE_READONLY, SQLITE_FULL…).
    group.broken ??=
      typeof cause === 'object' && cause !== null
        ? (cause as Error)
        : Object.assign(new Error('SQLite rolled back the write transaction'), { code: 'SQLITE_ABORT' });
    group.reject(group.broken);
  }

  /** Whether the connection's group still holds its transaction; a broken one fails the member (if asked to). */
  private checkGroup(connection: GroupCommitConnection, throwIfBroken = true): boolean {
    const group = connection.group;
    if (group && this.currentGroup() === group) return true;
    if (group) this.breakGroup(group);
    if (throwIfBroken) throw group?.broken ?? new Error('no SQLite write transaction is open');
    return false;
  }
}

class GroupCommitConnection implements DatabaseConnection {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  /** The group this holder of the connection wrote or read in: it waits for that group's COMMIT on release. */
  group: CommitGroup | undefined;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly driver: GroupCommitSqliteDriver,
  ) {}

  join(group: CommitGroup): void {
    this.group = group;
  }

  leave(): CommitGroup | undefined {
    const group = this.group;
    this.group = undefined;
    return group;
  }

  clear(): void {
    this.statements.clear();
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return settled(() => {
      const statement = this.prepare(compiled.sql);
      const group = statement.readonly ? this.driver.currentGroup() : this.driver.openGroup();
      if (group) this.group = group;
      try {
        if (statement.reader) return { rows: statement.all(compiled.parameters) as R[] };
        const { changes, lastInsertRowid } = statement.run(compiled.parameters);
        return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
      } catch (error) {
        // Most failures undo the statement only; some (SQLITE_FULL, SQLITE_IOERR…) end the whole transaction.
        if (group && !this.sqlite.inTransaction) this.driver.breakGroup(group, error);
        throw error;
      }
    });
  }

  // better-sqlite3 is synchronous; Kysely's interface is an async iterator.
  // eslint-disable-next-line @typescript-eslint/require-await
  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiled.query)) throw new Error('the SQLite store streams select queries only');
    // Its own statement: a cached one may be iterated by no one else meanwhile.
    const statement = this.sqlite.prepare(compiled.sql);
    const group = this.driver.currentGroup();
    if (group) this.group = group;
    for (const row of statement.iterate(compiled.parameters)) yield { rows: [row as R] };
  }

  private prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (statement) return statement;
    statement = this.sqlite.prepare(sql);
    if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
    this.statements.set(sql, statement);
    return statement;
  }
}
