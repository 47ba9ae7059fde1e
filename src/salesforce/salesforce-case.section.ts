import { createHash } from 'node:crypto';
import { SalesforceConfig } from './salesforce.config';
import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';
import { CaseOwner, CaseRecord, CreatedCase, NewCase, RequestPriority } from './salesforce.types';
import { CompositeSubrequest, SalesforceGateway } from './salesforce-gateway';
import {
  CASE_FIELDS,
  CaseRow,
  checkedId,
  SaveResult,
  savedId,
  SObject,
  toCaseRecord,
} from './salesforce-rows';
import { caseCommentBody, LONG_TEXT_MAX, SUBJECT_MAX, truncateCharacters } from './salesforce-text';
import { soqlDateTime, soqlId, soqlString, soqlStringList } from './soql';

/** Cases the caller asks about or opens, and the comments added to them. */
export class CaseSection {
  constructor(
    private readonly gateway: SalesforceGateway,
    private readonly config: SalesforceConfig,
    private readonly now: () => number = Date.now,
  ) {}

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
}

/** Keys are tool-call ids; anything outside a safe alphabet or too long is hashed so markers and URLs stay clean. */
function idempotencyValue(key: string): string {
  return /^[\w.:-]{1,80}$/.test(key) ? key : createHash('sha256').update(key).digest('hex').slice(0, 40);
}

function caseMarker(key: string): string {
  return `[vc:${idempotencyValue(key)}]`;
}
