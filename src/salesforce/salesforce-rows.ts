import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';
import { AccountRef, CaseRecord, ContactRef } from './salesforce.types';
import { SalesforceErrorEntry } from './salesforce-transport';
import { isSalesforceId } from './soql';

/**
 * Salesforce's wire format of the records we read and write, and its mapping to the domain types of
 * `salesforce.types.ts`. Each SELECT list fills the row type above it.
 */

export interface SObject {
  attributes?: { type: string; url?: string };
  Id: string;
}

export interface ContactRow extends SObject {
  FirstName?: string | null;
  LastName: string;
  AccountId?: string | null;
  Account?: { Name: string; AccountNumber?: string | null } | null;
  Phone?: string | null;
  MobilePhone?: string | null;
}

export const CONTACT_FIELDS =
  'Id, FirstName, LastName, AccountId, Account.Name, Account.AccountNumber, Phone, MobilePhone';

export interface AccountRow extends SObject {
  Name: string;
  AccountNumber?: string | null;
  Phone?: string | null;
}

export const ACCOUNT_FIELDS = 'Id, Name, AccountNumber, Phone';

export interface CaseRow extends SObject {
  CaseNumber: string;
  Subject?: string | null;
  Status: string;
  Priority?: string | null;
  Type?: string | null;
  ContactId?: string | null;
  AccountId?: string | null;
  IsClosed: boolean;
  CreatedDate: string;
  LastModifiedDate?: string | null;
  Description?: string | null;
}

export const CASE_FIELDS =
  'Id, CaseNumber, Subject, Status, Priority, Type, ContactId, AccountId, IsClosed, CreatedDate, LastModifiedDate';

/** One record's answer to an insert (`/sobjects/…` or an item of `/composite/sobjects`). */
export interface SaveResult {
  id?: string;
  success: boolean;
  errors: SalesforceErrorEntry[];
}

export function distinctById<T extends SObject>(rows: T[]): T[] {
  const seen = new Map<string, T>();
  for (const row of rows) if (!seen.has(row.Id)) seen.set(row.Id, row);
  return [...seen.values()];
}

export function toContactRef(row: ContactRow): ContactRef {
  return {
    id: row.Id,
    firstName: row.FirstName ?? undefined,
    lastName: row.LastName,
    accountId: row.AccountId ?? undefined,
  };
}

export function toAccountRef(row: AccountRow): AccountRef {
  return { id: row.Id, name: row.Name, accountNumber: row.AccountNumber ?? undefined };
}

export function toCaseRecord(row: CaseRow): CaseRecord {
  return {
    id: row.Id,
    caseNumber: row.CaseNumber,
    subject: row.Subject ?? undefined,
    status: row.Status,
    priority: row.Priority ?? undefined,
    type: row.Type ?? undefined,
    contactId: row.ContactId ?? undefined,
    accountId: row.AccountId ?? undefined,
    isClosed: row.IsClosed,
    createdDate: row.CreatedDate,
    lastModifiedDate: row.LastModifiedDate ?? undefined,
  };
}

// Ids and field values are checked before they go into a request, so a bad one never costs an API call.

export function checkedId(value: string, name: string): string {
  if (!isSalesforceId(value)) throw invalidField(name, 'is not a Salesforce record id');
  return value;
}

export function invalidField(name: string, problem: string): SalesforceError {
  return new SalesforceError(SalesforceErrorCode.VALIDATION, `${name} ${problem}`, false);
}

export function savedId(result: SaveResult, operation: string): string {
  if (!result.id)
    throw new SalesforceError(
      SalesforceErrorCode.UNKNOWN,
      `Salesforce ${operation}: no id in the answer`,
      false,
    );
  return result.id;
}
