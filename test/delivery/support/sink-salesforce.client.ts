import type SqliteDatabase from 'better-sqlite3';
import { loadSqliteDriver } from '../../../src/store/sqlite-driver';

const Sqlite = loadSqliteDriver();
import { setTimeout as sleep } from 'node:timers/promises';
import { SalesforceClient } from '../../../src/salesforce/salesforce.client';
import { SalesforceError, SalesforceErrorCode } from '../../../src/salesforce/salesforce.errors';
import { caseCommentBody } from '../../../src/salesforce/salesforce-text';
import {
  AccountRef,
  ApiUsage,
  CallerMatch,
  CaseRecord,
  CreatedCase,
  NewCallTask,
  NewCase,
  TaskWriteResult,
  TokenStatus,
} from '../../../src/salesforce/salesforce.types';

/**
 * A "Salesforce" for multi-process tests: every write is a row in a SQLite file shared by all processes
 * (deliberately without a unique key, so a duplicate write shows up as two rows). Each write commits before
 * the response is returned, and may then "lose" the response, as a real timeout would.
 */
export class SinkSalesforceClient extends SalesforceClient {
  private readonly sink: SqliteDatabase.Database;
  apiCalls = 0;
  taskApiCalls = 0;

  constructor(
    file: string,
    private readonly options: { loseRate: number; latencyMs: number },
  ) {
    super();
    this.sink = new Sqlite(file);
    this.sink.pragma('journal_mode = WAL');
    this.sink.pragma('synchronous = FULL');
    this.sink.pragma('busy_timeout = 10000');
    this.sink.exec(
      'create table if not exists writes (seq integer primary key autoincrement, kind text not null, key text not null, pid integer not null, parent text)',
    );
  }

  static read(file: string): Array<{ kind: string; key: string; pid: number }> {
    const sink = new Sqlite(file, { readonly: true });
    try {
      return sink.prepare('select kind, key, pid from writes order by seq').all() as Array<{
        kind: string;
        key: string;
        pid: number;
      }>;
    } finally {
      sink.close();
    }
  }

  async createCase(input: NewCase): Promise<CreatedCase> {
    await this.call();
    const { lastInsertRowid } = this.sink
      .prepare("insert into writes (kind, key, pid) values ('case', ?, ?)")
      .run(input.idempotencyKey, process.pid);
    await this.maybeLoseResponse();
    return { id: `500${String(lastInsertRowid)}`, caseNumber: String(lastInsertRowid).padStart(8, '0') };
  }

  async findCaseByIdempotencyKey(idempotencyKey: string): Promise<CreatedCase | null> {
    await this.call();
    const row = this.sink
      .prepare("select seq from writes where kind = 'case' and key = ? order by seq limit 1")
      .get(idempotencyKey) as { seq: number } | undefined;
    return row ? { id: `500${row.seq}`, caseNumber: String(row.seq).padStart(8, '0') } : null;
  }

  async createCallTasks(tasks: NewCallTask[]): Promise<TaskWriteResult[]> {
    await this.call();
    this.taskApiCalls += 1;
    const insert = this.sink.prepare("insert into writes (kind, key, pid) values ('task', ?, ?)");
    const results = this.sink.transaction(() =>
      tasks.map((task): TaskWriteResult => ({
        callId: task.callId,
        ok: true,
        id: `00T${String(insert.run(task.callId, process.pid).lastInsertRowid)}`,
      })),
    )();
    await this.maybeLoseResponse();
    return results;
  }

  async findCallTasks(callIds: string[]): Promise<Map<string, string>> {
    await this.call();
    const found = new Map<string, string>();
    const select = this.sink.prepare(
      "select seq from writes where kind = 'task' and key = ? order by seq limit 1",
    );
    for (const callId of callIds) {
      const row = select.get(callId) as { seq: number } | undefined;
      if (row) found.set(callId, `00T${row.seq}`);
    }
    return found;
  }

  /** A comment's key is its stored body, so a duplicate shows up as two rows with one key. */
  async addCaseComment(caseId: string, body: string): Promise<{ id: string }> {
    await this.call();
    const { lastInsertRowid } = this.sink
      .prepare("insert into writes (kind, key, pid, parent) values ('comment', ?, ?, ?)")
      .run(caseCommentBody(body), process.pid, caseId);
    await this.maybeLoseResponse();
    return { id: `00a${String(lastInsertRowid)}` };
  }

  /** Like the real lookup: among the Case's 200 most recent comments, compared with the stored form. */
  async findCaseComment(caseId: string, body: string): Promise<{ id: string } | null> {
    await this.call();
    const recent = this.sink
      .prepare(
        "select seq, key from writes where kind = 'comment' and parent = ? order by seq desc limit 200",
      )
      .all(caseId) as Array<{ seq: number; key: string }>;
    const stored = caseCommentBody(body);
    const found = recent.find((row) => row.key === stored);
    return found ? { id: `00a${found.seq}` } : null;
  }

  findCallerByPhone(): Promise<CallerMatch> {
    return unsupported();
  }
  findAccountByNumber(): Promise<AccountRef | null> {
    return unsupported();
  }
  getCaseByNumber(): Promise<CaseRecord | null> {
    return unsupported();
  }
  listOpenCases(): Promise<CaseRecord[]> {
    return unsupported();
  }
  updateContact(): Promise<void> {
    return unsupported();
  }
  attachTranscript(): Promise<{ contentDocumentId: string }> {
    return unsupported();
  }
  tokenStatus(): TokenStatus {
    return { state: 'valid' };
  }
  apiUsage(): ApiUsage | undefined {
    return undefined;
  }
  checkSchema(): Promise<string[]> {
    return Promise.resolve([]);
  }

  close(): void {
    this.sink.close();
  }

  private async call(): Promise<void> {
    this.apiCalls += 1;
    if (this.options.latencyMs > 0) await sleep(this.options.latencyMs);
  }

  private async maybeLoseResponse(): Promise<void> {
    if (this.options.latencyMs > 0) await sleep(this.options.latencyMs);
    if (Math.random() < this.options.loseRate) {
      throw new SalesforceError(SalesforceErrorCode.TIMEOUT, 'Response lost after commit', true);
    }
  }
}

function unsupported<T>(): Promise<T> {
  return Promise.reject(
    new SalesforceError(SalesforceErrorCode.MISCONFIGURED, 'Not supported by the sink', false),
  );
}
