import type { SetupCheckResult } from '../../src/common/setup-check';
import type SqliteDatabase from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { SalesforceClient } from '../../src/salesforce/salesforce.client';
import { SalesforceError, SalesforceErrorCode } from '../../src/salesforce/salesforce.errors';
import { caseCommentBody } from '../../src/salesforce/salesforce-text';
import {
  AccountRef,
  ApiUsage,
  CallerMatch,
  CallerWithOpenCases,
  CaseRecord,
  ContactRef,
  ContactUpdate,
  CreatedCase,
  KnowledgeArticle,
  NewCallTask,
  NewCase,
  TaskWriteResult,
  TokenStatus,
} from '../../src/salesforce/salesforce.types';
import { loadSqliteDriver } from '../../src/store/sqlite-driver';

/** A write the fake received and committed; `key` is what it is found again by. */
export type FakeWrite = { seq: number; pid: number } & (
  | { type: 'case'; id: string; key: string; input: NewCase }
  | { type: 'comment'; id: string; key: string; caseId: string; body: string }
  | { type: 'contact'; key: string; contactId: string; fields: ContactUpdate }
  | { type: 'task'; id: string; key: string; callId: string; input: NewCallTask }
  | { type: 'transcript'; id: string; key: string; taskId: string; title: string }
);

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type NewWrite = DistributiveOmit<FakeWrite, 'seq' | 'pid' | 'id'>;

/** Where the fake keeps its writes: in memory, or in a SQLite file that several processes share. */
interface WriteLog {
  /** Commits the write; returns its sequence number (1, 2, …), from which record ids are made. */
  append(write: NewWrite, idOf: (seq: number) => string | undefined): FakeWrite;
  all(): FakeWrite[];
  /** The first write of `type` with `key`. */
  first(type: FakeWrite['type'], key: string): FakeWrite | undefined;
  close(): void;
}

class MemoryWriteLog implements WriteLog {
  private readonly writes: FakeWrite[] = [];

  append(write: NewWrite, idOf: (seq: number) => string | undefined): FakeWrite {
    const seq = this.writes.length + 1;
    const id = idOf(seq);
    const stored = { ...write, seq, pid: process.pid, ...(id ? { id } : {}) } as FakeWrite;
    this.writes.push(stored);
    return stored;
  }

  all(): FakeWrite[] {
    return this.writes;
  }

  first(type: FakeWrite['type'], key: string): FakeWrite | undefined {
    return this.writes.find((write) => write.type === type && write.key === key);
  }

  close(): void {}
}

/**
 * Writes as rows of a SQLite file, for tests with several processes: deliberately without a unique key, so a
 * write sent twice shows up as two rows, and each committed before the response leaves, as in Salesforce.
 */
class FileWriteLog implements WriteLog {
  private readonly sink: SqliteDatabase.Database;

  constructor(file: string, readonly = false) {
    const Sqlite = loadSqliteDriver();
    this.sink = new Sqlite(file, { readonly });
    if (readonly) return;
    this.sink.pragma('journal_mode = WAL');
    this.sink.pragma('synchronous = FULL');
    this.sink.pragma('busy_timeout = 10000');
    this.sink.exec(
      'create table if not exists writes (seq integer primary key autoincrement, type text not null, ' +
        'key text not null, pid integer not null, data text not null)',
    );
    this.sink.exec('create index if not exists writes_by_key on writes (type, key)');
  }

  append(write: NewWrite, idOf: (seq: number) => string | undefined): FakeWrite {
    return this.sink.transaction(() => {
      const { lastInsertRowid } = this.sink
        .prepare("insert into writes (type, key, pid, data) values (?, ?, ?, '{}')")
        .run(write.type, write.key, process.pid);
      const seq = Number(lastInsertRowid);
      const id = idOf(seq);
      const stored = { ...write, seq, pid: process.pid, ...(id ? { id } : {}) } as FakeWrite;
      this.sink.prepare('update writes set data = ? where seq = ?').run(JSON.stringify(stored), seq);
      return stored;
    })();
  }

  all(): FakeWrite[] {
    const rows = this.sink.prepare('select data from writes order by seq').all() as { data: string }[];
    return rows.map((row) => JSON.parse(row.data) as FakeWrite);
  }

  first(type: FakeWrite['type'], key: string): FakeWrite | undefined {
    const row = this.sink
      .prepare('select data from writes where type = ? and key = ? order by seq limit 1')
      .get(type, key) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as FakeWrite) : undefined;
  }

  close(): void {
    this.sink.close();
  }
}

/**
 * Salesforce behind the real port, for tests of anything that writes to Salesforce without the HTTP fake. It
 * counts API calls, keeps every write in order (in memory, or in a file that several processes share), and
 * injects the faults the outbox must survive: outages (every request fails as unavailable), responses lost
 * after the write committed, slowness, and records it refuses.
 */
export class FakeSalesforceClient extends SalesforceClient {
  /** Requests received (each one Salesforce API call), and those that sent Tasks. */
  apiCalls = 0;
  taskApiCalls = 0;
  /** While true every request fails with `UNAVAILABLE` and nothing is written. */
  down = false;
  /** The next N writes commit, then their response is lost (`TIMEOUT`). */
  loseResponses = 0;
  /** Records refused with `VALIDATION` (poison). */
  refuseCase: (input: NewCase) => boolean = () => false;
  refuseTask: (task: NewCallTask) => boolean = () => false;
  /** While set, every request waits for it (a slow Salesforce). */
  gate?: Promise<void>;
  readonly contacts: Array<ContactRef & { phones: string[] }> = [];
  readonly accounts: AccountRef[] = [];
  private readonly log: WriteLog;

  constructor(
    private readonly options: {
      /** Share the writes with other processes through this SQLite file. */
      sharedFile?: string;
      /** Each write's response is lost with this probability (after it committed). */
      loseRate?: number;
      /** Delay before and after each write. */
      latencyMs?: number;
    } = {},
  ) {
    super();
    this.log = options.sharedFile ? new FileWriteLog(options.sharedFile) : new MemoryWriteLog();
  }

  /** The writes in a shared file, for the test process to check after its children have run. */
  static readShared(file: string): FakeWrite[] {
    const log = new FileWriteLog(file, true);
    try {
      return log.all();
    } finally {
      log.close();
    }
  }

  /** Every committed write, in order. */
  get writes(): FakeWrite[] {
    return this.log.all();
  }

  /** Writes of one kind, for assertions. */
  writesOf<T extends FakeWrite['type']>(type: T): Array<Extract<FakeWrite, { type: T }>> {
    return this.writes.filter((write): write is Extract<FakeWrite, { type: T }> => write.type === type);
  }

  findCallerByPhone(phoneE164: string): Promise<CallerMatch> {
    return this.request(() => this.matchCaller(phoneE164));
  }

  private matchCaller(phoneE164: string): CallerMatch {
    const matches = this.contacts.filter((contact) => contact.phones.includes(phoneE164));
    if (matches.length > 1) return { kind: 'ambiguous', candidates: matches.length };
    if (matches.length === 0) return { kind: 'unidentified' };
    const { id, firstName, lastName, accountId } = matches[0];
    const contact: ContactRef = { id, firstName, lastName, accountId };
    return {
      kind: 'identified',
      contact,
      account: this.accounts.find((account) => account.id === contact.accountId),
    };
  }

  /** One request, as the adapter's single `/composite`. */
  findCallerWithOpenCases(phoneE164: string, openCaseLimit: number): Promise<CallerWithOpenCases> {
    return this.request(() => {
      const match = this.matchCaller(phoneE164);
      const openCases =
        match.kind === 'identified' && openCaseLimit > 0
          ? this.openCasesOf({ contactId: match.contact.id }, openCaseLimit)
          : [];
      return { match, openCases };
    });
  }

  findAccountByNumber(accountNumber: string): Promise<AccountRef | null> {
    return this.request(
      () => this.accounts.find((account) => account.accountNumber === accountNumber) ?? null,
    );
  }

  getCaseByNumber(caseNumber: string): Promise<CaseRecord | null> {
    return this.request(() => this.caseRecords().find((record) => record.caseNumber === caseNumber) ?? null);
  }

  listOpenCases(owner: { contactId?: string; accountId?: string }, limit: number): Promise<CaseRecord[]> {
    return this.request(() => this.openCasesOf(owner, limit));
  }

  private openCasesOf(owner: { contactId?: string; accountId?: string }, limit: number): CaseRecord[] {
    return this.caseRecords()
      .filter((record) =>
        owner.contactId ? record.contactId === owner.contactId : record.accountId === owner.accountId,
      )
      .reverse()
      .slice(0, limit);
  }

  createCase(input: NewCase): Promise<CreatedCase> {
    return this.write(() => {
      if (this.refuseCase(input)) throw refused('Case refused by a validation rule');
      const created = this.log.append(
        { type: 'case', key: input.idempotencyKey, input },
        (seq) => `500FAKE${String(seq).padStart(8, '0')}`,
      );
      return { id: idOf(created), caseNumber: caseNumberOf(created.seq) };
    });
  }

  findCaseByIdempotencyKey(idempotencyKey: string): Promise<CreatedCase | null> {
    return this.request(() => {
      const found = this.log.first('case', idempotencyKey);
      return found ? { id: idOf(found), caseNumber: caseNumberOf(found.seq) } : null;
    });
  }

  /** Case ids the fake never issued are accepted in a shared file, whose cases other processes made up. */
  addCaseComment(caseId: string, body: string): Promise<{ id: string }> {
    return this.write(() => {
      if (!this.options.sharedFile && !this.caseRecords().some((record) => record.id === caseId))
        throw new SalesforceError(SalesforceErrorCode.NOT_FOUND, 'No such case', false);
      // Stored as the real adapter sends it: truncated to the field's 4,000 bytes.
      const stored = caseCommentBody(body);
      const written = this.log.append(
        { type: 'comment', key: `${caseId}:${stored}`, caseId, body: stored },
        (seq) => `00aFAKE${seq}`,
      );
      return { id: idOf(written) };
    });
  }

  /** Like the real lookup, compared with the body as it was stored. */
  findCaseComment(caseId: string, body: string): Promise<{ id: string } | null> {
    return this.request(() => {
      const found = this.log.first('comment', `${caseId}:${caseCommentBody(body)}`);
      return found ? { id: idOf(found) } : null;
    });
  }

  updateContact(contactId: string, fields: ContactUpdate): Promise<void> {
    return this.write(
      () => void this.log.append({ type: 'contact', key: contactId, contactId, fields }, () => undefined),
    );
  }

  createCallTasks(tasks: NewCallTask[]): Promise<TaskWriteResult[]> {
    if (tasks.length > 200) return Promise.reject(refused('More than 200 records in one request'));
    this.taskApiCalls += 1;
    return this.write(() =>
      tasks.map((task): TaskWriteResult => {
        if (this.refuseTask(task)) {
          return {
            callId: task.callId,
            ok: false,
            code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            message: 'Task refused',
            retryable: false,
          };
        }
        const written = this.log.append(
          { type: 'task', key: task.callId, callId: task.callId, input: task },
          (seq) => `00TFAKE${seq}`,
        );
        return { callId: task.callId, ok: true, id: idOf(written) };
      }),
    );
  }

  findCallTasks(callIds: string[]): Promise<Map<string, string>> {
    return this.request(() => {
      const found = new Map<string, string>();
      for (const callId of callIds) {
        const task = this.log.first('task', callId);
        if (task) found.set(callId, idOf(task));
      }
      return found;
    });
  }

  attachTranscript(taskId: string, title: string): Promise<{ contentDocumentId: string }> {
    return this.write(() => {
      const written = this.log.append(
        { type: 'transcript', key: taskId, taskId, title },
        (seq) => `069FAKE${seq}`,
      );
      return { contentDocumentId: idOf(written) };
    });
  }

  /** This fake holds no Knowledge articles (the HTTP fake does). */
  knowledgeConfigured(): boolean {
    return false;
  }

  searchKnowledge(): Promise<KnowledgeArticle[]> {
    return Promise.reject(
      new SalesforceError(SalesforceErrorCode.MISCONFIGURED, 'Knowledge is not configured', false),
    );
  }

  /** Probes are counted apart from `apiCalls`, which tests compare with the writes they expect. */
  probes = 0;

  probe(): Promise<void> {
    this.probes += 1;
    if (this.down) {
      return Promise.reject(
        new SalesforceError(SalesforceErrorCode.UNAVAILABLE, 'Salesforce is unavailable (503)', true, {
          status: 503,
        }),
      );
    }
    return Promise.resolve();
  }

  tokenStatus(): TokenStatus {
    return { state: 'valid', secondsLeft: 7200 };
  }

  apiUsage(): ApiUsage | undefined {
    return { used: this.apiCalls, limit: 100_000, observedAt: new Date().toISOString() };
  }

  checkSchema(): Promise<string[]> {
    return Promise.resolve([]);
  }

  checkSetup(): Promise<SetupCheckResult[]> {
    return Promise.resolve([]);
  }

  close(): void {
    this.log.close();
  }

  private caseRecords(): CaseRecord[] {
    return this.writesOf('case').map((write) => ({
      id: write.id,
      caseNumber: caseNumberOf(write.seq),
      subject: write.input.subject,
      status: 'New',
      contactId: write.input.contactId,
      accountId: write.input.accountId,
      isClosed: false,
      createdDate: new Date().toISOString(),
    }));
  }

  private async request<T>(answer: () => T): Promise<T> {
    this.apiCalls += 1;
    if (this.gate) await this.gate;
    if (this.options.latencyMs) await sleep(this.options.latencyMs);
    if (this.down) {
      throw new SalesforceError(SalesforceErrorCode.UNAVAILABLE, 'Salesforce is unavailable (503)', true, {
        status: 503,
      });
    }
    return answer();
  }

  private async write<T>(commit: () => T): Promise<T> {
    const result = await this.request(commit);
    if (this.options.latencyMs) await sleep(this.options.latencyMs);
    const lost = this.loseResponses > 0 || Math.random() < (this.options.loseRate ?? 0);
    if (lost) {
      this.loseResponses = Math.max(0, this.loseResponses - 1);
      throw new SalesforceError(SalesforceErrorCode.TIMEOUT, 'No response within the request timeout', true);
    }
    return result;
  }
}

/** Case numbers follow the org's write sequence: the first write of a fresh fake is case 00001001. */
function caseNumberOf(seq: number): string {
  return String(1000 + seq).padStart(8, '0');
}

function idOf(write: FakeWrite): string {
  return 'id' in write ? write.id : '';
}

function refused(message: string): SalesforceError {
  return new SalesforceError(SalesforceErrorCode.VALIDATION, message, false, {
    status: 400,
    salesforceCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  });
}
