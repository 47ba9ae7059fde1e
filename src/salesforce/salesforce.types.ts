/** Domain types the Salesforce port returns. No raw Salesforce JSON leaves the adapter. */

export interface AccountRef {
  id: string;
  name: string;
  accountNumber?: string;
}

export interface ContactRef {
  id: string;
  firstName?: string;
  lastName: string;
  accountId?: string;
  /** The numbers on file (E.164, read with the deployment's region), where one-time codes and notices go. */
  phone?: string;
  mobilePhone?: string;
}

export type CallerMatch =
  | { kind: 'identified'; contact: ContactRef; account?: AccountRef }
  /** Only an Account's phone matched: the caller belongs to that account but is not a known person. */
  | { kind: 'account'; account: AccountRef }
  | { kind: 'ambiguous'; candidates: number }
  | { kind: 'unidentified' };

/** A published Knowledge article version, its text as plain words (HTML removed). */
export interface KnowledgeArticle {
  id: string;
  title: string;
  summary?: string;
  /** The configured answer field (KNOWLEDGE_ANSWER_FIELD), as plain text. */
  answer?: string;
}

export interface CaseRecord {
  id: string;
  caseNumber: string;
  subject?: string;
  status: string;
  priority?: string;
  type?: string;
  contactId?: string;
  accountId?: string;
  isClosed: boolean;
  createdDate: string;
  lastModifiedDate?: string;
}

/** What a caller can open a case about: the tool's `issueType`, mapped to the org's Case Type picklist. */
export const ISSUE_TYPES = ['billing', 'technical', 'account'] as const;
export type IssueType = (typeof ISSUE_TYPES)[number];
/** How urgent a caller says it is, mapped to the org's Case Priority picklist. */
export const CASE_PRIORITIES = ['low', 'medium', 'high'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];

export interface NewCase {
  /** Our idempotency key (tool call id); stored in the external-ID field or the marker so retries can find it. */
  idempotencyKey: string;
  accountId?: string;
  contactId?: string;
  issueType: IssueType;
  subject: string;
  description: string;
  priority?: CasePriority;
}

/** Whose cases: a contact, or (without contact) an account. */
/** Who is calling and, when they are an identified contact, their most recent open cases. */
export interface CallerWithOpenCases {
  match: CallerMatch;
  openCases: CaseRecord[];
}

export interface CaseOwner {
  contactId?: string;
  accountId?: string;
}

export interface CreatedCase {
  id: string;
  caseNumber: string;
}

/** Fields of a Contact that the agent may change. Nothing else can be written. */
export interface ContactUpdate {
  email?: string;
  phone?: string;
  mobilePhone?: string;
  mailingStreet?: string;
  mailingCity?: string;
  mailingState?: string;
  mailingPostalCode?: string;
  mailingCountry?: string;
}

export interface NewCallTask {
  /** VAPI call id; written to `CallObject` and used to find the Task again (exactly once per call). */
  callId: string;
  subject: string;
  description: string;
  whoId?: string;
  whatId?: string;
  durationSeconds?: number;
  disposition?: string;
  activityDate: string;
  /** Fields VAPI extracted from the call, by name; TASK_FIELD_MAP says which Task field each one fills. */
  structured?: Record<string, string | number | boolean>;
}

export type TaskWriteResult =
  | { callId: string; ok: true; id: string }
  | { callId: string; ok: false; code: string; message: string; retryable: boolean };

export type RequestPriority = 'live' | 'background';

export interface TokenStatus {
  state: 'valid' | 'expiring' | 'failed' | 'none';
  /** Seconds until the token is expected to lapse (session timeout from last use); absent when none held. */
  secondsLeft?: number;
  /** Last token error, free of secrets. */
  lastError?: string;
  lastRefreshAt?: string;
}

export interface ApiUsage {
  used: number;
  limit: number;
  observedAt: string;
}
