import { SalesforceClient } from '../../salesforce/salesforce.client';
import { SalesforceError, SalesforceErrorCode } from '../../salesforce/salesforce.errors';
import { caseCommentBody } from '../../salesforce/salesforce-text';
import {
  AccountRef,
  ApiUsage,
  CallerMatch,
  CaseRecord,
  ContactRef,
  ContactUpdate,
  CreatedCase,
  NewCallTask,
  NewCase,
  TaskWriteResult,
  TokenStatus,
} from '../../salesforce/salesforce.types';

export type FakeWrite =
  | { type: 'case'; id: string; key: string; input: NewCase }
  | { type: 'comment'; id: string; caseId: string; body: string }
  | { type: 'contact'; contactId: string; fields: ContactUpdate }
  | { type: 'task'; id: string; callId: string; input: NewCallTask }
  | { type: 'transcript'; id: string; taskId: string; title: string };

/**
 * In-memory Salesforce behind the real port, for tests of anything that writes to Salesforce. It counts API
 * calls, keeps every write in order, and injects the faults the outbox must survive: outages (every request
 * fails as unavailable), responses lost after the write committed, and records it refuses.
 */
export class FakeSalesforceClient extends SalesforceClient {
  /** Every committed write, in order. */
  readonly writes: FakeWrite[] = [];
  /** Requests received (each one Salesforce API call). */
  apiCalls = 0;
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
  private readonly cases = new Map<string, CaseRecord & { key: string }>();
  private nextNumber = 1000;

  findCallerByPhone(phoneE164: string): Promise<CallerMatch> {
    return this.request(() => {
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
    return this.request(() =>
      this.caseRecords()
        .filter((record) => !record.isClosed)
        .filter((record) =>
          owner.contactId ? record.contactId === owner.contactId : record.accountId === owner.accountId,
        )
        .reverse()
        .slice(0, limit),
    );
  }

  createCase(input: NewCase): Promise<CreatedCase> {
    return this.write(() => {
      if (this.refuseCase(input)) throw refused('Case refused by a validation rule');
      const id = `500FAKE${String(this.cases.size + 1).padStart(8, '0')}`;
      const caseNumber = String(++this.nextNumber).padStart(8, '0');
      this.cases.set(id, {
        id,
        caseNumber,
        key: input.idempotencyKey,
        subject: input.subject,
        status: 'New',
        contactId: input.contactId,
        accountId: input.accountId,
        isClosed: false,
        createdDate: new Date().toISOString(),
      });
      this.writes.push({ type: 'case', id, key: input.idempotencyKey, input });
      return { id, caseNumber };
    });
  }

  findCaseByIdempotencyKey(idempotencyKey: string): Promise<CreatedCase | null> {
    return this.request(() => {
      const found = [...this.cases.values()].find((record) => record.key === idempotencyKey);
      return found ? { id: found.id, caseNumber: found.caseNumber } : null;
    });
  }

  addCaseComment(caseId: string, body: string): Promise<{ id: string }> {
    return this.write(() => {
      if (!this.cases.has(caseId))
        throw new SalesforceError(SalesforceErrorCode.NOT_FOUND, 'No such case', false);
      const id = `00aFAKE${this.writes.length + 1}`;
      // Stored as the real adapter sends it: truncated to the field's 4,000 bytes.
      this.writes.push({ type: 'comment', id, caseId, body: caseCommentBody(body) });
      return { id };
    });
  }

  /** Like the real lookup: only the Case's 200 most recent comments, compared with the stored form. */
  findCaseComment(caseId: string, body: string): Promise<{ id: string } | null> {
    return this.request(() => {
      const stored = caseCommentBody(body);
      const found = this.writesOf('comment')
        .filter((write) => write.caseId === caseId)
        .reverse()
        .slice(0, 200)
        .find((write) => write.body === stored);
      return found ? { id: found.id } : null;
    });
  }

  updateContact(contactId: string, fields: ContactUpdate): Promise<void> {
    return this.write(() => void this.writes.push({ type: 'contact', contactId, fields }));
  }

  createCallTasks(tasks: NewCallTask[]): Promise<TaskWriteResult[]> {
    if (tasks.length > 200) return Promise.reject(refused('More than 200 records in one request'));
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
        const id = `00TFAKE${this.writes.length + 1}`;
        this.writes.push({ type: 'task', id, callId: task.callId, input: task });
        return { callId: task.callId, ok: true, id };
      }),
    );
  }

  findCallTasks(callIds: string[]): Promise<Map<string, string>> {
    return this.request(() => {
      const found = new Map<string, string>();
      for (const write of this.writes)
        if (write.type === 'task' && callIds.includes(write.callId)) found.set(write.callId, write.id);
      return found;
    });
  }

  attachTranscript(taskId: string, title: string): Promise<{ contentDocumentId: string }> {
    return this.write(() => {
      const id = `069FAKE${this.writes.length + 1}`;
      this.writes.push({ type: 'transcript', id, taskId, title });
      return { contentDocumentId: id };
    });
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

  /** Writes of one kind, for assertions. */
  writesOf<T extends FakeWrite['type']>(type: T): Array<Extract<FakeWrite, { type: T }>> {
    return this.writes.filter((write): write is Extract<FakeWrite, { type: T }> => write.type === type);
  }

  private caseRecords(): CaseRecord[] {
    return [...this.cases.values()].map(({ key: _key, ...record }) => record);
  }

  private async request<T>(answer: () => T): Promise<T> {
    this.apiCalls += 1;
    if (this.gate) await this.gate;
    if (this.down) {
      throw new SalesforceError(SalesforceErrorCode.UNAVAILABLE, 'Salesforce is unavailable (503)', true, {
        status: 503,
      });
    }
    return answer();
  }

  private async write<T>(commit: () => T): Promise<T> {
    const result = await this.request(commit);
    if (this.loseResponses > 0) {
      this.loseResponses -= 1;
      throw new SalesforceError(SalesforceErrorCode.TIMEOUT, 'No response within the request timeout', true);
    }
    return result;
  }
}

function refused(message: string): SalesforceError {
  return new SalesforceError(SalesforceErrorCode.VALIDATION, message, false, {
    status: 400,
    salesforceCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  });
}
