import { Logger } from '@nestjs/common';
import { ExponentialBackoff, handleWhen, IPolicy, noop, retry, RetryPolicy } from 'cockatiel';
import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';
import { SalesforceMetrics } from './salesforce.metrics';
import { ApiUsage, RequestPriority, TokenStatus } from './salesforce.types';
import {
  dataApiError,
  entryError,
  HttpMethod,
  HttpResponse,
  parseErrorEntries,
  SalesforceErrorEntry,
  SalesforceTransport,
} from './salesforce-transport';
import { RequestBudget } from './salesforce-request.budget';
import { AccessToken, SalesforceTokenProvider } from './salesforce-token.provider';

export interface GatewayRequest {
  /** Metric label and error prefix, e.g. `findCaller`. */
  operation: string;
  method: HttpMethod;
  /** Below `/services/data/vNN.0`, e.g. `/query?q=…`. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  priority: RequestPriority;
  /** Retry on outage/timeout. Only for requests that cannot apply twice (reads, PATCH of the same values). */
  idempotent: boolean;
}

export interface GatewayResponse<T> {
  status: number;
  body: T;
}

/** One subrequest of a `/composite` call; `path` is below the data API's base, as in a `GatewayRequest`. */
export interface CompositeSubrequest {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

export interface CompositeSubresponse {
  body: unknown;
  httpStatusCode: number;
  referenceId: string;
}

export interface CompositeOptions {
  priority: RequestPriority;
  allOrNone: boolean;
  idempotent: boolean;
  headers?: Record<string, string>;
  /**
   * Reference ids of subrequests allowed to fail (with `allOrNone: false`): their failure is returned, not
   * thrown. For a subrequest whose reference may resolve to nothing, e.g. `@{contacts.records[0].Id}`.
   */
  optional?: readonly string[];
}

export interface QueryResult<T> {
  totalSize: number;
  done: boolean;
  records: T[];
}

/** The path of a SOQL query, for `request` or a `/composite` subrequest. */
export function queryPath(soql: string): string {
  return `/query?q=${encodeURIComponent(soql)}`;
}

export interface SalesforceGatewayOptions {
  apiVersion: string;
  retryAttempts: number;
  retryBaseDelayMs: number;
  /** Send `Sforce-Duplicate-Rule-Header: allowSave=true` on every write (SALESFORCE_DUPLICATE_RULE_ALLOW_SAVE). */
  duplicateRuleAllowSave?: boolean;
}

/**
 * Duplicate rules with the "Alert" action let a save through when asked to (REST API Developer Guide,
 * "Duplicate Rule Header", API 52.0+); "Block" rules refuse it whatever the header says.
 */
const ALLOW_DUPLICATE_SAVE = { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' };

/** Failures after which the request may or may not have been applied: worth a retry, after a check for writes. */
export function isAmbiguousFailure(error: unknown): boolean {
  return (
    error instanceof SalesforceError &&
    (error.code === SalesforceErrorCode.UNAVAILABLE || error.code === SalesforceErrorCode.TIMEOUT)
  );
}

/**
 * Sends data-API requests: through the request budget, with a valid token, one refresh-and-replay on
 * `401 INVALID_SESSION_ID`, usage and outcome metrics, and jittered exponential retries for idempotent
 * requests. Non-idempotent writes get `retryPolicy` to wrap their own check-then-write attempts. `query` and
 * `composite` are the two request shapes every part of the adapter uses.
 */
export class SalesforceGateway {
  private readonly logger = new Logger('SalesforceGateway');
  private readonly basePath: string;
  /** Headers every write carries (the duplicate-rule header when configured). */
  private readonly writeHeaders: Record<string, string> | undefined;
  /** Jittered exponential retry on outage/timeout (decorrelated jitter, cockatiel's default generator). */
  readonly retryPolicy: RetryPolicy;

  constructor(
    private readonly transport: SalesforceTransport,
    private readonly tokens: SalesforceTokenProvider,
    private readonly budget: RequestBudget,
    private readonly metrics: SalesforceMetrics,
    options: SalesforceGatewayOptions,
  ) {
    this.basePath = `/services/data/v${options.apiVersion}`;
    this.writeHeaders = options.duplicateRuleAllowSave ? ALLOW_DUPLICATE_SAVE : undefined;
    // The limit is there before the first request: a scrape of a fresh replica shows it, not 0.
    this.metrics.concurrencyLimit.set(this.budget.concurrency().limit);
    this.retryPolicy = retry(handleWhen(isAmbiguousFailure), {
      maxAttempts: options.retryAttempts,
      backoff: new ExponentialBackoff({
        initialDelay: Math.max(1, options.retryBaseDelayMs),
        maxDelay: Math.max(1, options.retryBaseDelayMs) * 16,
      }),
    });
    this.retryPolicy.onRetry(({ delay, attempt, ...reason }) => {
      const why =
        'error' in reason && reason.error instanceof SalesforceError ? reason.error.message : 'failure';
      this.logger.warn(`retry ${attempt} in ${Math.round(delay)} ms after: ${why}`);
    });
  }

  request<T>(request: GatewayRequest): Promise<GatewayResponse<T>> {
    const policy: IPolicy = request.idempotent ? this.retryPolicy : noop;
    return policy.execute(() => this.budget.run(request.priority, () => this.attempt<T>(request)));
  }

  /** The records of a SOQL query: its first batch, `nextRecordsUrl` is not followed. A read, so retried. */
  async query<T>(operation: string, soql: string, priority: RequestPriority): Promise<T[]> {
    const response = await this.request<QueryResult<T>>({
      operation,
      method: 'GET',
      path: queryPath(soql),
      priority,
      idempotent: true,
    });
    return response.body.records;
  }

  /**
   * One `/composite` request, answered in the order of `subrequests`; the first failed subrequest (not a
   * PROCESSING_HALTED echo) becomes the error.
   */
  async composite(
    operation: string,
    subrequests: CompositeSubrequest[],
    options: CompositeOptions,
  ): Promise<CompositeSubresponse[]> {
    const compositeRequest = subrequests.map(({ method, path, referenceId, body, httpHeaders }) => ({
      method,
      url: `${this.basePath}${path}`,
      referenceId,
      body,
      httpHeaders:
        method === 'GET' || !this.writeHeaders ? httpHeaders : { ...this.writeHeaders, ...httpHeaders },
    }));
    const response = await this.request<{ compositeResponse: CompositeSubresponse[] }>({
      operation,
      method: 'POST',
      path: '/composite',
      body: { allOrNone: options.allOrNone, compositeRequest },
      headers: options.headers,
      priority: options.priority,
      idempotent: options.idempotent,
    });
    const results = response.body.compositeResponse;
    const failures = results.filter(
      (result) => result.httpStatusCode >= 300 && !options.optional?.includes(result.referenceId),
    );
    if (failures.length > 0) {
      const entriesOf = (result: CompositeSubresponse): SalesforceErrorEntry[] =>
        Array.isArray(result.body) ? (result.body as SalesforceErrorEntry[]) : [];
      const cause =
        failures.find(
          (result) => !entriesOf(result).some((entry) => entry.errorCode === 'PROCESSING_HALTED'),
        ) ?? failures[0];
      throw entryError(entriesOf(cause)[0], cause.httpStatusCode, operation);
    }
    return subrequests.map(
      (subrequest) =>
        results.find((result) => result.referenceId === subrequest.referenceId) ?? {
          body: undefined,
          httpStatusCode: 0,
          referenceId: subrequest.referenceId,
        },
    );
  }

  tokenStatus(): TokenStatus {
    return this.tokens.status();
  }

  apiUsage(): ApiUsage | undefined {
    return this.budget.apiUsage();
  }

  /** Throws the refusal background requests would get now (a limit pause, usage above the ceiling). */
  assertBackgroundAllowed(): void {
    this.budget.assertBackgroundAllowed();
  }

  private async attempt<T>(request: GatewayRequest): Promise<GatewayResponse<T>> {
    const token = await this.tokens.getToken();
    const first = await this.exchange(request, token);
    if (!isInvalidSession(first)) return this.finish<T>(request, token, first);
    // Expired mid-flight: drop this token (a concurrent request may already have replaced it) and replay once.
    this.count(request, SalesforceErrorCode.SESSION_EXPIRED);
    this.tokens.invalidate(token);
    const fresh = await this.tokens.getToken();
    const second = await this.exchange(request, fresh);
    if (!isInvalidSession(second)) return this.finish<T>(request, fresh, second);
    throw new SalesforceError(
      SalesforceErrorCode.SESSION_EXPIRED,
      `Salesforce ${request.operation}: session refused again right after a token refresh`,
      false,
      { status: 401, salesforceCode: 'INVALID_SESSION_ID' },
    );
  }

  private async exchange(request: GatewayRequest, token: AccessToken): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token.accessToken}`,
      accept: 'application/json',
      ...(request.method === 'GET' ? undefined : this.writeHeaders),
      ...request.headers,
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const stopTimer = this.metrics.requestDuration.startTimer({ operation: request.operation });
    try {
      const response = await this.transport.send({
        method: request.method,
        url: `${token.instanceUrl}${this.basePath}${request.path}`,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        operation: request.operation,
      });
      const usage = parseLimitInfo(response.headers['sforce-limit-info']);
      if (usage) {
        this.budget.recordUsage(usage.used, usage.limit);
        this.metrics.apiUsage.set(usage.used);
        this.metrics.apiLimit.set(usage.limit);
      }
      return response;
    } catch (error) {
      this.count(request, error instanceof SalesforceError ? error.code : SalesforceErrorCode.UNKNOWN);
      throw error;
    } finally {
      stopTimer();
      this.metrics.concurrencyLimit.set(this.budget.concurrency().limit);
    }
  }

  private finish<T>(request: GatewayRequest, token: AccessToken, response: HttpResponse): GatewayResponse<T> {
    if (response.status >= 300) {
      const error = dataApiError(response.status, response.text, request.operation);
      if (error.code === SalesforceErrorCode.RATE_LIMITED) this.budget.recordLimitExceeded();
      this.count(request, error.code);
      throw error;
    }
    this.tokens.markUsed(token);
    this.budget.recordSuccess();
    this.count(request, 'success');
    return { status: response.status, body: parseBody<T>(response, request.operation) };
  }

  private count(request: GatewayRequest, outcome: string): void {
    this.metrics.requests.inc({ operation: request.operation, outcome: outcome.toLowerCase() });
  }
}

function isInvalidSession(response: HttpResponse): boolean {
  return (
    response.status === 401 &&
    parseErrorEntries(response.text).some((entry) => entry.errorCode === 'INVALID_SESSION_ID')
  );
}

function parseBody<T>(response: HttpResponse, operation: string): T {
  if (response.status === 204 || response.text.length === 0) return undefined as T;
  try {
    return JSON.parse(response.text) as T;
  } catch (error) {
    throw new SalesforceError(
      SalesforceErrorCode.UNKNOWN,
      `Salesforce ${operation}: response is not JSON`,
      false,
      {
        status: response.status,
        cause: error,
      },
    );
  }
}

/** `Sforce-Limit-Info: api-usage=18/15000` (other items such as `per-app-api-usage=` may follow). */
function parseLimitInfo(header: string | string[] | undefined): { used: number; limit: number } | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  const match = value ? /(?:^|[,;\s])api-usage=(\d+)\/(\d+)/.exec(value) : null;
  return match ? { used: Number(match[1]), limit: Number(match[2]) } : undefined;
}
