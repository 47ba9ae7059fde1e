import type { SetupCheckResult } from '../common/setup-check';
import {
  AccountRef,
  ApiUsage,
  CallerMatch,
  CallerWithOpenCases,
  CaseOwner,
  CaseRecord,
  ContactUpdate,
  CreatedCase,
  KnowledgeArticle,
  NewCallTask,
  NewCase,
  RequestPriority,
  TaskWriteResult,
  TokenStatus,
} from './salesforce.types';

/**
 * The port every other module uses to reach Salesforce. Adapters throw `SalesforceError` only.
 * `priority` decides who waits when the request budget is short: live-call requests go first.
 */
export abstract class SalesforceClient {
  /** Caller identification by phone (E.164 in; every stored format matched). */
  abstract findCallerByPhone(phoneE164: string, priority?: RequestPriority): Promise<CallerMatch>;
  /** The caller and, when identified as a contact, their `openCaseLimit` most recent open cases: one API call. */
  abstract findCallerWithOpenCases(
    phoneE164: string,
    openCaseLimit: number,
    priority?: RequestPriority,
  ): Promise<CallerWithOpenCases>;
  abstract findAccountByNumber(accountNumber: string, priority?: RequestPriority): Promise<AccountRef | null>;
  abstract getCaseByNumber(caseNumber: string, priority?: RequestPriority): Promise<CaseRecord | null>;
  /** Open cases of a contact (or, without contact, of an account), most recent first. */
  abstract listOpenCases(owner: CaseOwner, limit: number, priority?: RequestPriority): Promise<CaseRecord[]>;
  /** Creates the Case and reads its CaseNumber in one API call. */
  abstract createCase(input: NewCase, priority?: RequestPriority): Promise<CreatedCase>;
  /**
   * Finds a Case created earlier under this idempotency key (after an ambiguous failure). Pass the NewCase's
   * owner (contactId/accountId): without an external-ID field the lookup is scoped to the owner's Cases.
   */
  abstract findCaseByIdempotencyKey(
    idempotencyKey: string,
    priority?: RequestPriority,
    owner?: CaseOwner,
  ): Promise<CreatedCase | null>;
  /** Adds a CaseComment (body truncated to 4,000 bytes at a character boundary). */
  abstract addCaseComment(caseId: string, body: string, priority?: RequestPriority): Promise<{ id: string }>;
  /**
   * Finds a comment with this body among the Case's 200 most recent (after an ambiguous failure of
   * `addCaseComment`). The body is compared as `addCaseComment` stores it, truncated the same way.
   */
  abstract findCaseComment(
    caseId: string,
    body: string,
    priority?: RequestPriority,
  ): Promise<{ id: string } | null>;
  abstract updateContact(contactId: string, fields: ContactUpdate, priority?: RequestPriority): Promise<void>;
  /** Up to 200 Tasks in one call; one result per input, in order (partial success is normal). */
  abstract createCallTasks(tasks: NewCallTask[], priority?: RequestPriority): Promise<TaskWriteResult[]>;
  /** Task ids already logged for these VAPI call ids (by `CallObject`). */
  abstract findCallTasks(callIds: string[], priority?: RequestPriority): Promise<Map<string, string>>;
  /** Attaches a full transcript as a ContentVersion linked to the Task. */
  abstract attachTranscript(
    taskId: string,
    title: string,
    content: string,
    priority?: RequestPriority,
  ): Promise<{ contentDocumentId: string }>;
  /** True when Salesforce Knowledge is configured (KNOWLEDGE_ANSWER_FIELD); `searchKnowledge` needs it. */
  abstract knowledgeConfigured(): boolean;
  /**
   * Published articles in `language` (a Salesforce locale such as en_US; KNOWLEDGE_LANGUAGE overrides it)
   * matching the question's keywords, at most `limit`, in Salesforce's order. Never a draft or archived version.
   */
  abstract searchKnowledge(
    question: string,
    options: { limit: number; language: string; priority?: RequestPriority },
  ): Promise<KnowledgeArticle[]>;
  /**
   * One cheap authenticated request (`GET /limits`, live priority), to learn whether Salesforce takes requests
   * again after an outage or REQUEST_LIMIT_EXCEEDED; throws like any other request while it does not.
   */
  abstract probe(): Promise<void>;
  abstract tokenStatus(): TokenStatus;
  abstract apiUsage(): ApiUsage | undefined;
  /** Checks that the objects and fields we write exist and are writable; returns what is missing. */
  abstract checkSchema(): Promise<string[]>;
  /**
   * The set-up against the org, each step with a fix (`npm run doctor`, the start-up log): token, API
   * version, schema and rights, Contacts visible, and optionally that a given caller's number is recognised.
   */
  abstract checkSetup(options?: { callerPhone?: string }): Promise<SetupCheckResult[]>;
}
