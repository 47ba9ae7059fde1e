/**
 * Salesforce REST error shapes (reference/salesforce.md §2.2): the data API answers errors as a JSON array of
 * `{message, errorCode, fields?}`; sObject Collections results use `statusCode` instead of `errorCode`.
 */

export interface SfErrorItem {
  message: string;
  errorCode: string;
  fields?: string[];
  /** DUPLICATES_DETECTED only: the rule and the records it matched (see fake-duplicate-rules.ts). */
  duplicateResult?: unknown;
}

/** An error the fake answers with: HTTP status plus the documented array body. */
export class SfApiError extends Error {
  constructor(
    readonly status: number,
    readonly items: SfErrorItem[],
  ) {
    super(items.map((item) => `${item.errorCode}: ${item.message}`).join('; '));
  }

  /** Shape used inside `/composite/sobjects` results. */
  toCollectionErrors(): { statusCode: string; message: string; fields: string[] }[] {
    return this.items.map((item) => ({
      statusCode: item.errorCode,
      message: item.message,
      fields: item.fields ?? [],
    }));
  }
}

export function sfError(status: number, errorCode: string, message: string, fields?: string[]): SfApiError {
  return new SfApiError(status, [fields ? { message, errorCode, fields } : { message, errorCode }]);
}

export const badRequest = (errorCode: string, message: string, fields?: string[]): SfApiError =>
  sfError(400, errorCode, message, fields);

export const notFound = (message = 'The requested resource does not exist'): SfApiError =>
  sfError(404, 'NOT_FOUND', message);

/** SOQL errors carry the position the way Salesforce words it ("ERROR at Row:1:Column:8"), without echoing the query. */
export function queryError(errorCode: string, message: string, position?: number): SfApiError {
  const where = position === undefined ? '' : `ERROR at Row:1:Column:${position + 1}\n`;
  return badRequest(errorCode, `${where}${message}`);
}
