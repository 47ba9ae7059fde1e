import { Logger } from '@nestjs/common';
import { NormalisedPhone, phoneTailDigits, PhoneNumbers } from '../common/phone-numbers';
import { SalesforceConfig } from './salesforce.config';
import { AccountRef, CallerMatch, RequestPriority } from './salesforce.types';
import { queryPath, QueryResult, SalesforceGateway } from './salesforce-gateway';
import {
  ACCOUNT_FIELDS,
  AccountRow,
  CONTACT_FIELDS,
  ContactRow,
  distinctById,
  isType,
  SObject,
  toAccountRef,
  toContactRef,
} from './salesforce-rows';
import { soqlDateTime, soqlLikePattern, soqlString, soslTerm } from './soql';

/** Who is calling: a Contact or Account by phone number, an Account by the number the caller reads out. */
export class CallerLookupSection {
  private readonly logger = new Logger(CallerLookupSection.name);
  constructor(
    private readonly gateway: SalesforceGateway,
    private readonly config: SalesforceConfig,
    private readonly phones: PhoneNumbers,
    private readonly now: () => number = Date.now,
  ) {}

  async findCallerByPhone(phoneE164: string, priority: RequestPriority = 'live'): Promise<CallerMatch> {
    const caller = this.phones.normalise(phoneE164);
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
