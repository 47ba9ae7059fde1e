import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The schema of the durable store, shared by SQLite and PostgreSQL. Conventions that keep one set of queries
 * working on both: every `*_at` column is epoch milliseconds (INTEGER / BIGINT, read as a JS number), booleans
 * are 0/1 integers, structured values are JSON text.
 */
export interface DatabaseSchema {
  deliveries: DeliveriesTable;
  calls: CallsTable;
  tool_results: ToolResultsTable;
  salesforce_tokens: SalesforceTokensTable;
  store_heartbeats: StoreHeartbeatsTable;
}

export type DeliveryStatusColumn = 'pending' | 'succeeded' | 'dead' | 'skipped';
/** The external system a write goes to, as its handler names it (e.g. `salesforce`, `twilio`). */
export type DeliveryTargetColumn = string;

/** The outbox: one row per Salesforce or Twilio write, committed before the write is attempted. */
export interface DeliveriesTable {
  /** Insertion order; orders the writes of one call. */
  seq: Generated<number>;
  /** Public id (UUID). */
  id: string;
  kind: string;
  /** Which external system the write goes to; writes of one call are ordered per target. */
  target: DeliveryTargetColumn;
  idempotency_key: string;
  call_id: string | null;
  /** JSON text of the kind's payload. */
  payload: string;
  status: DeliveryStatusColumn;
  /** Attempts started (claims), including ones a crash interrupted. */
  attempts: number;
  /** Attempts known not to have reached the target (refused before processing). */
  unsent_failures: number;
  /** 1 once any attempt may have reached the target without us seeing the answer: check before writing. */
  in_doubt: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
  last_error_code: string | null;
  /** JSON text of the result (e.g. `{id, caseNumber}`) once succeeded or skipped. */
  result: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

export type CallIdentityKind = 'identified' | 'account' | 'unidentified' | 'ambiguous' | 'unknown';

/** Call state kept by the call workflow (VAPI call id as key). */
export interface CallsTable {
  id: string;
  caller_number: string | null;
  identity_kind: CallIdentityKind;
  contact_id: string | null;
  account_id: string | null;
  first_name: string | null;
  twilio_call_sid: string | null;
  status: string;
  started_at: number | null;
  ended_at: number | null;
  ended_reason: string | null;
  /** JSON text array of the cases created during the call. */
  cases_created: ColumnType<string, string | undefined, string>;
  /** JSON text of the transfer, or null. */
  transfer: string | null;
  report_received_at: number | null;
  updated_at: number;
  created_at: number;
  /** The recognised contact's number on file (E.164): where one-time codes and change notices go. */
  on_file_number: ColumnType<string | null, string | null | undefined, string | null>;
  /** When a one-time code was last texted in this call. */
  verification_sent_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** Codes tried in this call; verification locks at three. */
  verification_attempts: ColumnType<number, number | undefined, number>;
  /** When the caller proved they hold the phone on file; null while only recognised by caller ID. */
  verified_at: ColumnType<number | null, number | null | undefined, number | null>;
}

/**
 * The stored spoken answer of a handled tool call, so a repeated call returns the first result. Keyed by
 * (call_id, tool_call_id): '' stands for a message without a call id.
 */
export interface ToolResultsTable {
  call_id: string;
  tool_call_id: string;
  tool_name: string;
  result: string;
  is_error: number;
  created_at: number;
}

/** Rows written by readiness to prove the store takes writes. */
export interface StoreHeartbeatsTable {
  name: string;
  beat_at: number;
}

/** Rotated Salesforce refresh tokens (refresh-token flow). */
export interface SalesforceTokensTable {
  name: string;
  refresh_token: string;
  updated_at: number;
}

export type DeliveryRow = Selectable<DeliveriesTable>;
export type NewDeliveryRow = Insertable<DeliveriesTable>;
export type DeliveryRowUpdate = Updateable<DeliveriesTable>;
export type CallRow = Selectable<CallsTable>;
export type NewCallRow = Insertable<CallsTable>;
export type ToolResultRow = Selectable<ToolResultsTable>;
