import { Logger } from '@nestjs/common';
import { NormalisedPhone, PhoneNumbers } from '../common/phone-numbers';
import { AccountRef, CallerMatch, CallerWithOpenCases, RequestPriority } from './salesforce.types';
import { CompositeSubrequest, queryPath, QueryResult, SalesforceGateway } from './salesforce-gateway';
import {
  ACCOUNT_FIELDS,
  AccountRow,
  CASE_FIELDS,
  CaseRow,
  CONTACT_FIELDS,
  ContactRow,
  distinctById,
  toAccountRef,
  toCaseRecord,
  toContactRef,
} from './salesforce-rows';
import { soqlDigitsInOrderPattern, soqlId, soqlString } from './soql';

/** Rows read per object: far more than one number has, so a true match is never cut off. */
const CANDIDATES = 50;

/** Who is calling: a Contact or Account by phone number, an Account by the number the caller reads out. */
export class CallerLookupSection {
  private readonly logger = new Logger(CallerLookupSection.name);
  constructor(
    private readonly gateway: SalesforceGateway,
    private readonly phones: PhoneNumbers,
  ) {}

  async findCallerByPhone(phoneE164: string, priority: RequestPriority = 'live'): Promise<CallerMatch> {
    return (await this.findCallerWithOpenCases(phoneE164, 0, priority)).match;
  }

  /**
   * Who is calling and their open cases, in one `/composite` request (one API call toward the daily limit,
   * REST API Developer Guide, "Composite"): SOQL on Contact and Account phone fields, and the open Cases of
   * the first Contact found, through the reference `@{contacts.records[0].Id}`.
   *
   * Why SOQL, not SOSL: `/composite` runs sObject, Query, QueryAll and sObject Collections subrequests only,
   * not Search (same page, "Composite is supported for the following resources"); `/composite/batch` runs
   * Search but "each subrequest counts against rate limits" and cannot pass results on ("Composite Batch");
   * and a SOSL RETURNING clause returns only records matching the search term, with no child relationships
   * ("RETURNING FieldSpec"), so it cannot return a contact's cases. SOQL also reads records the moment they
   * are saved, where the search index lags 1–3 minutes: a contact created during the last minutes is found
   * by this same request, with no fallback request for numbers nobody knows.
   *
   * Phones are stored as entered, so the filter is LIKE on the national digits in order with anything
   * between them (`%4%1%5%…`), and the exact comparison is made here in code.
   */
  async findCallerWithOpenCases(
    phoneE164: string,
    openCaseLimit: number,
    priority: RequestPriority = 'live',
  ): Promise<CallerWithOpenCases> {
    const caller = this.phones.normalise(phoneE164);
    if (!caller) return { match: { kind: 'unidentified' }, openCases: [] };
    const pattern = soqlDigitsInOrderPattern(caller.national);
    const subrequests: CompositeSubrequest[] = [
      {
        method: 'GET',
        path: queryPath(
          `SELECT ${CONTACT_FIELDS} FROM Contact WHERE Phone LIKE ${pattern} OR MobilePhone LIKE ${pattern} ` +
            `ORDER BY LastModifiedDate DESC LIMIT ${CANDIDATES}`,
        ),
        referenceId: 'contacts',
      },
      {
        method: 'GET',
        path: queryPath(
          `SELECT ${ACCOUNT_FIELDS} FROM Account WHERE Phone LIKE ${pattern} ` +
            `ORDER BY LastModifiedDate DESC LIMIT ${CANDIDATES}`,
        ),
        referenceId: 'accounts',
      },
    ];
    const limit = Math.max(0, Math.min(Math.floor(openCaseLimit), 200));
    if (limit > 0) {
      // The reference stays unencoded in the URL: Salesforce resolves it before it runs the query.
      subrequests.push({
        method: 'GET',
        path:
          `/query?q=${encodeURIComponent(`SELECT ${CASE_FIELDS} FROM Case WHERE ContactId = '`)}` +
          `@{contacts.records[0].Id}` +
          encodeURIComponent(`' AND IsClosed = false ORDER BY CreatedDate DESC LIMIT ${limit}`),
        referenceId: 'openCases',
      });
    }
    // With allOrNone false a subrequest whose reference finds nothing (no contact) fails alone.
    const [contactsResult, accountsResult, casesResult] = await this.gateway.composite(
      'findCaller',
      subrequests,
      {
        priority,
        allOrNone: false,
        idempotent: true,
        optional: ['openCases'],
      },
    );
    const contactRows = (contactsResult.body as QueryResult<ContactRow>).records;
    const contacts = this.matchingContacts(contactRows, caller);
    const accounts = this.matchingAccounts((accountsResult.body as QueryResult<AccountRow>).records, caller);
    const match = this.matchOf(contacts, accounts);
    if (limit === 0 || match.kind !== 'identified') return { match, openCases: [] };
    if (contactRows[0]?.Id === match.contact.id && casesResult?.httpStatusCode === 200) {
      const openCases = (casesResult.body as QueryResult<CaseRow>).records.map(toCaseRecord);
      return { match, openCases };
    }
    // The first row was another number with the same digits (rare): a second request for the right cases.
    const openCases = await this.gateway.query<CaseRow>(
      'findCaller.openCases',
      `SELECT ${CASE_FIELDS} FROM Case WHERE ContactId = ${soqlId(match.contact.id)} AND IsClosed = false ` +
        `ORDER BY CreatedDate DESC LIMIT ${limit}`,
      priority,
    );
    return { match, openCases: openCases.map(toCaseRecord) };
  }

  private matchOf(contacts: ContactRow[], accounts: AccountRow[]): CallerMatch {
    if (contacts.length > 1) return { kind: 'ambiguous', candidates: contacts.length };
    if (contacts.length === 1) {
      const row = contacts[0];
      const contact = {
        ...toContactRef(row),
        phone: this.phones.toE164(row.Phone ?? undefined),
        mobilePhone: this.phones.toE164(row.MobilePhone ?? undefined),
      };
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

  private matchingContacts(rows: ContactRow[], caller: NormalisedPhone): ContactRow[] {
    return distinctById(
      rows.filter(
        (row) =>
          this.phones.storedMatches(row.Phone, caller) || this.phones.storedMatches(row.MobilePhone, caller),
      ),
    );
  }

  private matchingAccounts(rows: AccountRow[], caller: NormalisedPhone): AccountRow[] {
    return distinctById(rows.filter((row) => this.phones.storedMatches(row.Phone, caller)));
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
}
