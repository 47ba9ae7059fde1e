import { Agent, errors as undiciErrors } from 'undici';
import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Names the request in errors; never the URL, whose query may carry personal data. */
  operation: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface SalesforceTransportOptions {
  requestTimeoutMs: number;
  connections: number;
}

/**
 * The one place where Salesforce HTTP exchanges become typed results or `SalesforceError`s: a keep-alive
 * undici pool, a deadline on every exchange (an abort signal, plus undici's header/body timeouts so a hung
 * socket is closed, not just abandoned), and the mapping of network failures, data-API error arrays and
 * token-endpoint errors to error codes.
 */
export class SalesforceTransport {
  private readonly agent: Agent;

  constructor(private readonly options: SalesforceTransportOptions) {
    this.agent = new Agent({
      connections: options.connections,
      keepAliveTimeout: 30_000,
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
      connect: { timeout: Math.min(options.requestTimeoutMs, 5_000) },
    });
  }

  /**
   * The deadline is a timer that aborts the exchange, cleared when the answer is in. Not cockatiel's
   * TimeoutPolicy: it aborts its signal after every execution, which builds an AbortError (a DOMException
   * with its stack) per request — a measurable share of the event loop under a burst.
   */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const url = new URL(request.url);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.options.requestTimeoutMs);
    const { signal } = deadline;
    try {
      const response = await this.agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal,
      });
      const text = await response.body.text();
      return { status: response.statusCode, headers: response.headers, text };
    } catch (error) {
      // Whatever undici makes of the abort (its own error or the signal's reason), it is the deadline.
      const { operation } = request;
      const { requestTimeoutMs } = this.options;
      throw signal.aborted
        ? timeoutError(operation, requestTimeoutMs, error)
        : networkError(error, operation, requestTimeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

function networkError(error: unknown, operation: string, timeoutMs: number): SalesforceError {
  if (error instanceof SalesforceError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (error instanceof undiciErrors.RequestAbortedError) {
    return timeoutError(operation, timeoutMs, error);
  }
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) return timeoutError(operation, timeoutMs, error);
  const reason = typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown error';
  return new SalesforceError(
    SalesforceErrorCode.UNAVAILABLE,
    `Salesforce ${operation}: connection failed (${reason})`,
    true,
    { cause: error },
  );
}

function timeoutError(operation: string, timeoutMs: number, cause: unknown): SalesforceError {
  return new SalesforceError(
    SalesforceErrorCode.TIMEOUT,
    `Salesforce ${operation}: no complete answer within ${timeoutMs} ms`,
    true,
    { cause },
  );
}

/** One entry of a Salesforce error array (`statusCode` inside collection results, `errorCode` elsewhere). */
export interface SalesforceErrorEntry {
  message?: string;
  errorCode?: string;
  statusCode?: string;
  fields?: string[];
  /** With `DUPLICATES_DETECTED`: the duplicate rule that refused the save and the records it matched. */
  duplicateResult?: { duplicateRule?: unknown; allowSave?: unknown };
}

export function parseErrorEntries(text: string): SalesforceErrorEntry[] {
  try {
    const parsed: unknown = JSON.parse(text);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.filter((entry): entry is SalesforceErrorEntry => typeof entry === 'object' && entry !== null);
  } catch {
    return [];
  }
}

const CODE_BY_SALESFORCE_CODE: Record<string, [SalesforceErrorCode, boolean]> = {
  INVALID_SESSION_ID: [SalesforceErrorCode.SESSION_EXPIRED, true],
  REQUEST_LIMIT_EXCEEDED: [SalesforceErrorCode.RATE_LIMITED, true],
  NOT_FOUND: [SalesforceErrorCode.NOT_FOUND, false],
  ENTITY_IS_DELETED: [SalesforceErrorCode.NOT_FOUND, false],
  UNABLE_TO_LOCK_ROW: [SalesforceErrorCode.UNAVAILABLE, true],
  SERVER_UNAVAILABLE: [SalesforceErrorCode.UNAVAILABLE, true],
  INVALID_FIELD: [SalesforceErrorCode.MISCONFIGURED, false],
  INVALID_TYPE: [SalesforceErrorCode.MISCONFIGURED, false],
  INVALID_FIELD_FOR_INSERT_UPDATE: [SalesforceErrorCode.MISCONFIGURED, false],
  INSUFFICIENT_ACCESS_OR_READONLY: [SalesforceErrorCode.MISCONFIGURED, false],
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: [SalesforceErrorCode.MISCONFIGURED, false],
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: [SalesforceErrorCode.MISCONFIGURED, false],
  API_DISABLED_FOR_ORG: [SalesforceErrorCode.MISCONFIGURED, false],
  API_CURRENTLY_DISABLED: [SalesforceErrorCode.MISCONFIGURED, false],
  FUNCTIONALITY_NOT_ENABLED: [SalesforceErrorCode.MISCONFIGURED, false],
  REQUIRED_FIELD_MISSING: [SalesforceErrorCode.VALIDATION, false],
  STRING_TOO_LONG: [SalesforceErrorCode.VALIDATION, false],
  FIELD_CUSTOM_VALIDATION_EXCEPTION: [SalesforceErrorCode.VALIDATION, false],
  FIELD_INTEGRITY_EXCEPTION: [SalesforceErrorCode.VALIDATION, false],
  INVALID_EMAIL_ADDRESS: [SalesforceErrorCode.VALIDATION, false],
  INVALID_CROSS_REFERENCE_KEY: [SalesforceErrorCode.VALIDATION, false],
  MALFORMED_ID: [SalesforceErrorCode.VALIDATION, false],
  DUPLICATE_VALUE: [SalesforceErrorCode.VALIDATION, false],
  DUPLICATES_DETECTED: [SalesforceErrorCode.DUPLICATES_DETECTED, false],
  JSON_PARSER_ERROR: [SalesforceErrorCode.VALIDATION, false],
  MALFORMED_QUERY: [SalesforceErrorCode.UNKNOWN, false],
  MALFORMED_SEARCH: [SalesforceErrorCode.UNKNOWN, false],
};

/** Whether a Salesforce error code (data API or collection result) is worth sending again after backoff. */
export function classifySalesforceCode(
  salesforceCode: string | undefined,
  status: number,
): [SalesforceErrorCode, boolean] {
  const known = salesforceCode === undefined ? undefined : CODE_BY_SALESFORCE_CODE[salesforceCode];
  if (known) return known;
  if (status >= 500) return [SalesforceErrorCode.UNAVAILABLE, true];
  if (status === 401) return [SalesforceErrorCode.AUTH_FAILED, false];
  if (status === 403) return [SalesforceErrorCode.MISCONFIGURED, false];
  if (status === 404) return [SalesforceErrorCode.NOT_FOUND, false];
  if (status === 300 || status === 400) return [SalesforceErrorCode.VALIDATION, false];
  return [SalesforceErrorCode.UNKNOWN, false];
}

/**
 * Salesforce messages can quote the rejected value ("data value too large: …") or the query text, so only a
 * redacted, short form is kept: e-mail addresses, digit runs and quoted literals are masked.
 */
export function redactSalesforceMessage(message: string | undefined): string {
  if (!message) return '';
  return message
    .replace(/data value too large:.*?(\(max length=\d+\))/gi, 'data value too large $1')
    .replace(/'[^']*'/g, "'…'")
    .replace(/[^\s@]+@[^\s@]+/g, '…@…')
    .replace(/\d{4,}/g, '…')
    .slice(0, 200);
}

/** A data-API error response as a `SalesforceError`. */
export function dataApiError(status: number, text: string, operation: string): SalesforceError {
  const entry = parseErrorEntries(text)[0];
  const salesforceCode = entry?.errorCode ?? entry?.statusCode;
  return entryError(entry, status, operation, salesforceCode);
}

export function entryError(
  entry: SalesforceErrorEntry | undefined,
  status: number,
  operation: string,
  salesforceCode = entry?.errorCode ?? entry?.statusCode,
): SalesforceError {
  const [code, retryable] = classifySalesforceCode(salesforceCode, status);
  const fields = entry?.fields?.length ? ` [fields: ${entry.fields.join(', ')}]` : '';
  const detail = redactSalesforceMessage(entry?.message);
  // The rule's API name tells the operator which rule to look at; the matched records are left out.
  const rule = entry?.duplicateResult?.duplicateRule;
  const duplicateRule = typeof rule === 'string' ? ` [duplicate rule: ${redactSalesforceMessage(rule)}]` : '';
  return new SalesforceError(
    code,
    `Salesforce ${operation} failed: ${status} ${salesforceCode ?? 'no error code'}${fields}${duplicateRule}${detail ? ` — ${detail}` : ''}`,
    retryable,
    { status, salesforceCode },
  );
}
