import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { CountryCode } from 'libphonenumber-js';
import { SalesforceClient } from './salesforce.client';
import { SalesforceConfig } from './salesforce.config';
import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';
import {
  AccountRef,
  ApiUsage,
  CallerMatch,
  CaseOwner,
  CaseRecord,
  ContactUpdate,
  CreatedCase,
  NewCallTask,
  NewCase,
  RequestPriority,
  TaskWriteResult,
  TokenStatus,
} from './salesforce.types';
import { CompositeSubrequest, queryPath, QueryResult, SalesforceGateway } from './salesforce-gateway';
import { classifySalesforceCode, redactSalesforceMessage } from './salesforce-transport';
import {
  NormalisedPhone,
  normalisePhone,
  phoneRegion,
  phoneTailDigits,
  storedPhoneMatches,
} from './salesforce-phone';
import { SchemaChecker } from './salesforce-schema.checker';
import {
  AccountRow,
  ACCOUNT_FIELDS,
  CASE_FIELDS,
  CaseRow,
  checkedId,
  CONTACT_FIELDS,
  ContactRow,
  distinctById,
  invalidField,
  isType,
  SaveResult,
  savedId,
  SObject,
  toAccountRef,
  toCaseRecord,
  toContactRef,
} from './salesforce-rows';
import { caseCommentBody, LONG_TEXT_MAX, SUBJECT_MAX, truncateCharacters } from './salesforce-text';
import {
  isSalesforceId,
  soqlDateTime,
  soqlId,
  soqlLikePattern,
  soqlString,
  soqlStringList,
  soslTerm,
} from './soql';

const TASK_BATCH_MAX = 200;
/** Keeps `CallObject IN (…)` query URLs well below Salesforce's 16,384-byte URI limit. */
const MAX_ENCODED_IN_LIST = 12_000;
const CONTACT_FIELD_LIMITS: Record<keyof ContactUpdate, [string, number]> = {
  email: ['Email', 80],
  phone: ['Phone', 40],
  mobilePhone: ['MobilePhone', 40],
  mailingStreet: ['MailingStreet', 255],
  mailingCity: ['MailingCity', 40],
  mailingState: ['MailingState', 80],
  mailingPostalCode: ['MailingPostalCode', 20],
  mailingCountry: ['MailingCountry', 80],
};

/** The `SalesforceClient` port over the REST API (undici, no SDK: see docs/salesforce.md, "Why no SDK"). */
export class SalesforceHttpClient extends SalesforceClient {
  private readonly logger = new Logger(SalesforceHttpClient.name);
  private readonly region: CountryCode;
  private readonly schema: SchemaChecker;

  constructor(
    private readonly gateway: SalesforceGateway,
    private readonly config: SalesforceConfig,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.region = phoneRegion(config.defaultPhoneRegion);
    this.schema = new SchemaChecker(gateway, config);
  }

  tokenStatus(): TokenStatus {
    return this.gateway.tokenStatus();
  }

  apiUsage(): ApiUsage | undefined {
    return this.gateway.apiUsage();
  }

  checkSchema(): Promise<string[]> {
    return this.schema.check();
  }

  // ---- caller identification -------------------------------------------------------------------------------

  async findCallerByPhone(phoneE164: string, priority: RequestPriority = 'live'): Promise<CallerMatch> {
    const caller = normalisePhone(phoneE164, this.region);
    if (!caller) return { kind: 'unidentified' };

    // SOSL matches every stored format, but only once the search index has caught up (1–3 min).
    const sosl =
      `FIND {${soslTerm(caller.national)}} IN PHONE FIELDS RETURNING ` +
      `Contact(${CONTACT_FIELDS}), Account(${ACCOUNT_FIELDS}) LIMIT 50`;
    const search = await this.gateway.request<{ searchRecords: SObject[] }>({
      operation: 'findCallerByPhone.search',
      method: 'GET',
      path: `/search?q=${encodeURIComponent(sosl)}`,
      priority,
      idempotent: true,
    });
    let contacts = this.matchingContacts(
      search.body.searchRecords.filter(isType<ContactRow>('Contact')),
      caller,
    );
    let accounts = this.matchingAccounts(
      search.body.searchRecords.filter(isType<AccountRow>('Account')),
      caller,
    );

    if (contacts.length === 0) {
      const recent = await this.findRecentByPhone(caller, priority);
      contacts = this.matchingContacts(recent.contacts, caller);
      accounts = distinctById([...accounts, ...this.matchingAccounts(recent.accounts, caller)]);
    }

    if (contacts.length > 1) return { kind: 'ambiguous', candidates: contacts.length };
    if (contacts.length === 1) {
      const row = contacts[0];
      const contact = toContactRef(row);
      return row.AccountId && row.Account
        ? {
            kind: 'identified',
            contact,
            account: {
              id: row.AccountId,
              name: row.Account.Name,
              accountNumber: row.Account.AccountNumber ?? undefined,
            },
          }
        : { kind: 'identified', contact };
    }
    if (accounts.length > 1) return { kind: 'ambiguous', candidates: accounts.length };
    if (accounts.length === 1) return { kind: 'account', account: toAccountRef(accounts[0]) };
    return { kind: 'unidentified' };
  }

  /**
   * Records changed after the search index last caught up, by SOQL: LIKE on the last four digits (contiguous
   * in nearly every format), then exact comparison in code. Both queries travel in one `/composite` call.
   */
  private async findRecentByPhone(
    caller: NormalisedPhone,
    priority: RequestPriority,
  ): Promise<{ contacts: ContactRow[]; accounts: AccountRow[] }> {
    const tail = soqlLikePattern(phoneTailDigits(caller), 'endsWith');
    const since = soqlDateTime(new Date(this.now() - this.config.searchFallbackMinutes * 60_000));
    const contactQuery =
      `SELECT ${CONTACT_FIELDS} FROM Contact WHERE LastModifiedDate >= ${since} ` +
      `AND (Phone LIKE ${tail} OR MobilePhone LIKE ${tail}) ORDER BY LastModifiedDate DESC LIMIT 200`;
    const accountQuery =
      `SELECT ${ACCOUNT_FIELDS} FROM Account WHERE LastModifiedDate >= ${since} ` +
      `AND Phone LIKE ${tail} ORDER BY LastModifiedDate DESC LIMIT 200`;
    const [contacts, accounts] = await this.gateway.composite(
      'findCallerByPhone.recent',
      [
        {
          method: 'GET',
          path: queryPath(contactQuery),
          referenceId: 'contacts',
        },
        {
          method: 'GET',
          path: queryPath(accountQuery),
          referenceId: 'accounts',
        },
      ],
      { priority, allOrNone: false, idempotent: true },
    );
    return {
      contacts: (contacts.body as QueryResult<ContactRow>).records,
      accounts: (accounts.body as QueryResult<AccountRow>).records,
    };
  }

  private matchingContacts(rows: ContactRow[], caller: NormalisedPhone): ContactRow[] {
    return distinctById(
      rows.filter(
        (row) =>
          storedPhoneMatches(row.Phone, caller, this.region) ||
          storedPhoneMatches(row.MobilePhone, caller, this.region),
      ),
    );
  }

  private matchingAccounts(rows: AccountRow[], caller: NormalisedPhone): AccountRow[] {
    return distinctById(rows.filter((row) => storedPhoneMatches(row.Phone, caller, this.region)));
  }

  async findAccountByNumber(
    accountNumber: string,
    priority: RequestPriority = 'live',
  ): Promise<AccountRef | null> {
    const wanted = accountNumber.trim();
    if (wanted.length === 0 || wanted.length > 40) return null;
    const rows = await this.gateway.query<AccountRow>(
      'findAccountByNumber',
      `SELECT ${ACCOUNT_FIELDS} FROM Account WHERE AccountNumber = ${soqlString(wanted)} LIMIT 2`,
      priority,
    );
    // Two accounts with one number: we cannot tell whose it is, so neither.
    if (rows.length !== 1) {
      if (rows.length > 1) this.logger.warn('findAccountByNumber: account number is not unique in the org');
      return null;
    }
    return toAccountRef(rows[0]);
  }

  // ---- cases -----------------------------------------------------------------------------------------------

  async getCaseByNumber(caseNumber: string, priority: RequestPriority = 'live'): Promise<CaseRecord | null> {
    const wanted = caseNumber.trim();
    if (wanted.length === 0 || wanted.length > 30) return null;
    // Callers drop leading zeros ("case 1027" for 00001027); the default auto-number format has eight digits.
    const candidates = /^\d{1,7}$/.test(wanted) ? [wanted, wanted.padStart(8, '0')] : [wanted];
    const rows = await this.gateway.query<CaseRow>(
      'getCaseByNumber',
      `SELECT ${CASE_FIELDS} FROM Case WHERE CaseNumber IN ${soqlStringList(candidates)} LIMIT 2`,
      priority,
    );
    return rows.length === 1 ? toCaseRecord(rows[0]) : null;
  }

  async listOpenCases(
    owner: CaseOwner,
    limit: number,
    priority: RequestPriority = 'live',
  ): Promise<CaseRecord[]> {
    const condition = owner.contactId
      ? `ContactId = ${soqlId(owner.contactId)}`
      : owner.accountId
        ? `AccountId = ${soqlId(owner.accountId)}`
        : undefined;
    if (!condition) return [];
    const rows = await this.gateway.query<CaseRow>(
      'listOpenCases',
      `SELECT ${CASE_FIELDS} FROM Case WHERE ${condition} AND IsClosed = false ` +
        `ORDER BY CreatedDate DESC LIMIT ${Math.max(1, Math.min(Math.floor(limit), 200))}`,
      priority,
    );
    return rows.map(toCaseRecord);
  }

  /**
   * One `/composite` call (one API call): insert the Case — or upsert it through the external-ID field — and
   * read its CaseNumber via `@{refCase.id}`. After an outage or timeout the Case may exist although we never
   * heard back, so a retry first looks for it by idempotency key and only re-sends when it is not there.
   */
  createCase(input: NewCase, priority: RequestPriority = 'live'): Promise<CreatedCase> {
    const body = this.caseBody(input);
    return this.gateway.retryPolicy.execute(async ({ attempt }) => {
      if (attempt > 0) {
        const existing = await this.findCaseByIdempotencyKey(input.idempotencyKey, priority, input);
        if (existing) return existing;
      }
      return this.insertCase(input.idempotencyKey, body, priority);
    });
  }

  private async insertCase(
    key: string,
    body: Record<string, unknown>,
    priority: RequestPriority,
  ): Promise<CreatedCase> {
    const field = this.config.caseExternalIdField;
    const autoAssign: Record<string, string> = this.config.caseAutoAssign
      ? {}
      : { 'Sforce-Auto-Assign': 'FALSE' };
    // The external-ID upsert makes even a concurrent duplicate attempt land on the same record.
    const write: CompositeSubrequest = field
      ? {
          method: 'PATCH',
          path: `/sobjects/Case/${field}/${encodeURIComponent(idempotencyValue(key))}`,
          referenceId: 'refCase',
          body,
          httpHeaders: autoAssign,
        }
      : {
          method: 'POST',
          path: '/sobjects/Case',
          referenceId: 'refCase',
          body,
          httpHeaders: autoAssign,
        };
    const [created, read] = await this.gateway.composite(
      'createCase',
      [
        write,
        {
          method: 'GET',
          path: '/sobjects/Case/@{refCase.id}?fields=CaseNumber',
          referenceId: 'refCaseNumber',
        },
      ],
      { priority, allOrNone: true, idempotent: false, headers: autoAssign },
    );
    const id = (created.body as { id?: string }).id ?? (read.body as { Id?: string }).Id;
    const caseNumber = (read.body as { CaseNumber?: string }).CaseNumber;
    if (!id || !caseNumber) {
      throw new SalesforceError(
        SalesforceErrorCode.UNKNOWN,
        'Salesforce createCase: no id or CaseNumber in the answer',
        false,
      );
    }
    return { id, caseNumber };
  }

  private caseBody(input: NewCase): Record<string, unknown> {
    const field = this.config.caseExternalIdField;
    // Without an external-ID field the key rides at the end of Description, where a retry can find it.
    const marker = field ? '' : `\n\n${caseMarker(input.idempotencyKey)}`;
    const body: Record<string, unknown> = {
      Subject: truncateCharacters(input.subject, SUBJECT_MAX),
      Description: truncateCharacters(input.description, LONG_TEXT_MAX - marker.length) + marker,
      Type: this.config.caseTypeMap[input.issueType],
      Priority: input.priority ? this.config.casePriorityMap[input.priority] : this.config.casePriority,
      Status: this.config.caseStatus,
      Origin: this.config.caseOrigin,
    };
    if (input.contactId) body.ContactId = checkedId(input.contactId, 'contactId');
    if (input.accountId) body.AccountId = checkedId(input.accountId, 'accountId');
    return body;
  }

  /**
   * With an external-ID field: an indexed equality query. Without one: the owner's Cases of the last
   * SALESFORCE_CASE_KEY_LOOKBACK_HOURS, matched on the `[vc:KEY]` marker in code (Description cannot be
   * filtered). Pass `owner` (the NewCase's contact/account) whenever known; without it the lookup scans the
   * org's most recent Cases only.
   */
  async findCaseByIdempotencyKey(
    idempotencyKey: string,
    priority: RequestPriority = 'live',
    owner?: CaseOwner,
  ): Promise<CreatedCase | null> {
    const field = this.config.caseExternalIdField;
    if (field) {
      const rows = await this.gateway.query<CaseRow>(
        'findCaseByIdempotencyKey',
        `SELECT Id, CaseNumber FROM Case WHERE ${field} = ${soqlString(idempotencyValue(idempotencyKey))} LIMIT 1`,
        priority,
      );
      return rows[0] ? { id: rows[0].Id, caseNumber: rows[0].CaseNumber } : null;
    }
    const since = soqlDateTime(new Date(this.now() - this.config.caseKeyLookbackHours * 3_600_000));
    const ownerCondition = !owner
      ? ''
      : owner.contactId
        ? ` AND ContactId = ${soqlId(owner.contactId)}`
        : owner.accountId
          ? ` AND AccountId = ${soqlId(owner.accountId)}`
          : ' AND ContactId = null AND AccountId = null';
    const rows = await this.gateway.query<CaseRow>(
      'findCaseByIdempotencyKey',
      `SELECT Id, CaseNumber, Description FROM Case WHERE CreatedDate >= ${since}${ownerCondition} ` +
        `ORDER BY CreatedDate DESC LIMIT ${owner ? 200 : 2000}`,
      priority,
    );
    const marker = caseMarker(idempotencyKey);
    const found = rows.find((row) => (row.Description ?? '').trimEnd().endsWith(marker));
    return found ? { id: found.Id, caseNumber: found.CaseNumber } : null;
  }

  /**
   * Not retried here: a duplicate comment is worse than a reported failure. The outbox re-sends only after
   * `findCaseComment` has not found it.
   */
  async addCaseComment(
    caseId: string,
    body: string,
    priority: RequestPriority = 'live',
  ): Promise<{ id: string }> {
    const response = await this.gateway.request<SaveResult>({
      operation: 'addCaseComment',
      method: 'POST',
      path: '/sobjects/CaseComment',
      body: {
        ParentId: checkedId(caseId, 'caseId'),
        CommentBody: caseCommentBody(body),
        IsPublished: false,
      },
      priority,
      idempotent: false,
    });
    return { id: savedId(response.body, 'addCaseComment') };
  }

  /**
   * CommentBody cannot be filtered in SOQL, so the Case's 200 most recent comments are read and compared in
   * code with the body as `addCaseComment` stores it (truncated the same way). A read: safe to retry.
   */
  async findCaseComment(
    caseId: string,
    body: string,
    priority: RequestPriority = 'live',
  ): Promise<{ id: string } | null> {
    const parentId = soqlId(checkedId(caseId, 'caseId'));
    const rows = await this.gateway.query<SObject & { CommentBody?: string | null }>(
      'findCaseComment',
      `SELECT Id, CommentBody FROM CaseComment WHERE ParentId = ${parentId} ORDER BY CreatedDate DESC LIMIT 200`,
      priority,
    );
    const stored = caseCommentBody(body);
    const found = rows.find((row) => (row.CommentBody ?? '') === stored);
    return found ? { id: found.Id } : null;
  }

  // ---- contact ---------------------------------------------------------------------------------------------

  /** Only the allow-listed fields, validated here; PATCH with the same values is idempotent, so it retries. */
  async updateContact(
    contactId: string,
    fields: ContactUpdate,
    priority: RequestPriority = 'live',
  ): Promise<void> {
    const body = this.contactBody(fields);
    await this.gateway.request<void>({
      operation: 'updateContact',
      method: 'PATCH',
      path: `/sobjects/Contact/${checkedId(contactId, 'contactId')}`,
      body,
      priority,
      idempotent: true,
    });
  }

  private contactBody(fields: ContactUpdate): Record<string, string> {
    const body: Record<string, string> = {};
    for (const key of Object.keys(CONTACT_FIELD_LIMITS) as (keyof ContactUpdate)[]) {
      const raw = fields[key];
      if (raw === undefined) continue;
      const [apiName, maxLength] = CONTACT_FIELD_LIMITS[key];
      let value = raw.trim();
      if (key === 'email' && !isEmail(value)) throw invalidField(key, 'is not a valid e-mail address');
      if (key === 'phone' || key === 'mobilePhone') {
        const phone = normalisePhone(value, this.region);
        if (!phone) throw invalidField(key, 'is not a valid phone number');
        value = phone.e164;
      }
      if (value.length === 0) throw invalidField(key, 'is empty');
      if (value.length > maxLength) throw invalidField(key, `is longer than ${maxLength} characters`);
      body[apiName] = value;
    }
    if (Object.keys(body).length === 0) throw invalidField('fields', 'contain nothing to update');
    return body;
  }

  // ---- call logging ----------------------------------------------------------------------------------------

  async createCallTasks(
    tasks: NewCallTask[],
    priority: RequestPriority = 'background',
  ): Promise<TaskWriteResult[]> {
    const results: TaskWriteResult[] = [];
    for (let start = 0; start < tasks.length; start += TASK_BATCH_MAX) {
      results.push(...(await this.createTaskBatch(tasks.slice(start, start + TASK_BATCH_MAX), priority)));
    }
    return results;
  }

  /**
   * One `/composite/sobjects` call per 200 Tasks. After an ambiguous failure the retry first asks which call
   * ids already have their Task (`findCallTasks`) and sends only the rest.
   */
  private createTaskBatch(tasks: NewCallTask[], priority: RequestPriority): Promise<TaskWriteResult[]> {
    return this.gateway.retryPolicy.execute(async ({ attempt }) => {
      const invalid = new Map<NewCallTask, TaskWriteResult>();
      for (const task of tasks) {
        const problem = taskProblem(task);
        if (problem)
          invalid.set(task, {
            callId: task.callId,
            ok: false,
            code: 'VALIDATION',
            message: problem,
            retryable: false,
          });
      }
      const logged =
        attempt > 0
          ? await this.findCallTasks(
              tasks.filter((task) => !invalid.has(task)).map((task) => task.callId),
              priority,
            )
          : new Map<string, string>();
      const toSend = tasks.filter((task) => !invalid.has(task) && !logged.has(task.callId));
      const saved = toSend.length > 0 ? await this.sendTasks(toSend, priority) : [];
      const results = new Map<NewCallTask, TaskWriteResult>(invalid);
      toSend.forEach((task, index) => results.set(task, taskResult(task, saved[index])));
      return tasks.map(
        (task) =>
          results.get(task) ?? { callId: task.callId, ok: true as const, id: logged.get(task.callId) ?? '' },
      );
    });
  }

  private async sendTasks(tasks: NewCallTask[], priority: RequestPriority): Promise<SaveResult[]> {
    const response = await this.gateway.request<SaveResult[]>({
      operation: 'createCallTasks',
      method: 'POST',
      path: '/composite/sobjects',
      body: {
        allOrNone: false,
        records: tasks.map((task) => ({ attributes: { type: 'Task' }, ...taskFields(task) })),
      },
      priority,
      idempotent: false,
    });
    return response.body;
  }

  async findCallTasks(
    callIds: string[],
    priority: RequestPriority = 'background',
  ): Promise<Map<string, string>> {
    const wanted = [...new Set(callIds.filter((id) => id.length > 0 && id.length <= 255))];
    const found = new Map<string, string>();
    for (const chunk of urlSizedChunks(wanted)) {
      const rows = await this.gateway.query<SObject & { CallObject: string }>(
        'findCallTasks',
        `SELECT Id, CallObject FROM Task WHERE CallObject IN ${soqlStringList(chunk)}`,
        priority,
      );
      for (const row of rows) found.set(row.CallObject, row.Id);
    }
    return found;
  }

  /**
   * A ContentVersion published to the Task, and its ContentDocumentId read back, in one `/composite` call.
   * Retried only after looking for a version already published to that Task under that title.
   */
  attachTranscript(
    taskId: string,
    title: string,
    content: string,
    priority: RequestPriority = 'background',
  ): Promise<{ contentDocumentId: string }> {
    const parentId = checkedId(taskId, 'taskId');
    const cleanTitle = truncateCharacters(title.trim() || 'Call transcript', SUBJECT_MAX);
    return this.gateway.retryPolicy.execute(async ({ attempt }) => {
      if (attempt > 0) {
        const rows = await this.gateway.query<SObject & { ContentDocumentId: string }>(
          'attachTranscript.find',
          `SELECT Id, ContentDocumentId FROM ContentVersion WHERE FirstPublishLocationId = ${soqlId(parentId)} ` +
            `AND Title = ${soqlString(cleanTitle)} LIMIT 1`,
          priority,
        );
        if (rows[0]) return { contentDocumentId: rows[0].ContentDocumentId };
      }
      const [, read] = await this.gateway.composite(
        'attachTranscript',
        [
          {
            method: 'POST',
            path: '/sobjects/ContentVersion',
            referenceId: 'refVersion',
            body: {
              Title: cleanTitle,
              PathOnClient: `${cleanTitle.replace(/[^\w.-]+/g, '_').slice(0, 200)}.txt`,
              VersionData: Buffer.from(content, 'utf8').toString('base64'),
              FirstPublishLocationId: parentId,
            },
          },
          {
            method: 'GET',
            path: '/sobjects/ContentVersion/@{refVersion.id}?fields=ContentDocumentId',
            referenceId: 'refDocument',
          },
        ],
        { priority, allOrNone: true, idempotent: false },
      );
      const contentDocumentId = (read.body as { ContentDocumentId?: string }).ContentDocumentId;
      if (!contentDocumentId) {
        throw new SalesforceError(
          SalesforceErrorCode.UNKNOWN,
          'Salesforce attachTranscript: no ContentDocumentId',
          false,
        );
      }
      return { contentDocumentId };
    });
  }
}

/** Splits values so that each encoded `IN (…)` list stays under MAX_ENCODED_IN_LIST (200 UUIDs fit in one). */
function urlSizedChunks(values: string[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const value of values) {
    const encoded = encodeURIComponent(soqlString(value)).length + 6;
    if (current.length > 0 && size + encoded > MAX_ENCODED_IN_LIST) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(value);
    size += encoded;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Keys are tool-call ids; anything outside a safe alphabet or too long is hashed so markers and URLs stay clean. */
function idempotencyValue(key: string): string {
  return /^[\w.:-]{1,80}$/.test(key) ? key : createHash('sha256').update(key).digest('hex').slice(0, 40);
}

export function caseMarker(key: string): string {
  return `[vc:${idempotencyValue(key)}]`;
}

function taskProblem(task: NewCallTask): string | undefined {
  if (!task.callId || task.callId.length > 255) return 'callId must be 1–255 characters';
  if (task.whoId && !isSalesforceId(task.whoId)) return 'whoId is not a Salesforce record id';
  if (task.whatId && !isSalesforceId(task.whatId)) return 'whatId is not a Salesforce record id';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(task.activityDate)) return 'activityDate must be YYYY-MM-DD';
  return undefined;
}

/** Task fields: docs/salesforce.md, "The call log Task". */
function taskFields(task: NewCallTask): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    Subject: truncateCharacters(task.subject, SUBJECT_MAX),
    Description: truncateCharacters(task.description, LONG_TEXT_MAX),
    TaskSubtype: 'Call',
    CallType: 'Inbound',
    CallObject: task.callId,
    Status: 'Completed',
    ActivityDate: task.activityDate,
  };
  if (task.durationSeconds !== undefined)
    fields.CallDurationInSeconds = Math.max(0, Math.round(task.durationSeconds));
  if (task.disposition) fields.CallDisposition = truncateCharacters(task.disposition, 255);
  if (task.whoId) fields.WhoId = task.whoId;
  if (task.whatId) fields.WhatId = task.whatId;
  return fields;
}

function taskResult(task: NewCallTask, saved: SaveResult | undefined): TaskWriteResult {
  if (saved?.success && saved.id) return { callId: task.callId, ok: true, id: saved.id };
  const entry = saved?.errors[0];
  const code = entry?.statusCode ?? entry?.errorCode ?? 'UNKNOWN';
  return {
    callId: task.callId,
    ok: false,
    code,
    message: redactSalesforceMessage(entry?.message) || 'no result for this record',
    retryable: classifySalesforceCode(code, 400)[1],
  };
}
