import { Logger } from '@nestjs/common';
import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  noJitterGenerator,
} from 'cockatiel';
import { SalesforceConfig } from './salesforce.config';
import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';
import { SalesforceMetrics } from './salesforce.metrics';
import { TokenStatus } from './salesforce.types';
import { HttpResponse, SalesforceTransport } from './salesforce-transport';
import { TokenGrant, TokenResponse } from './salesforce-token.grants';

/** A usable access token and where to send requests with it. */
export interface AccessToken {
  accessToken: string;
  instanceUrl: string;
  /** Identity URL `…/id/<orgId>/<userId>`. */
  identityUrl?: string;
}

interface HeldToken {
  token: AccessToken;
  /** Salesforce sessions lapse after the timeout counted from the last API call, not from issue. */
  lastUsedAt: number;
}

export type TokenProviderOptions = Pick<
  SalesforceConfig,
  | 'loginUrl'
  | 'sessionTimeoutSeconds'
  | 'tokenRefreshMarginSeconds'
  | 'tokenFailureThreshold'
  | 'tokenRetryAfterMs'
>;

const MAX_CIRCUIT_PAUSE_MS = 10 * 60_000;

/**
 * Holds one access token per process and renews it:
 * - single-flight: however many requests find no usable token, one token request runs and all await it;
 * - ahead of the session timeout (from last use): within the margin a background refresh starts while the
 *   current token keeps serving;
 * - `invalidate` after a 401 drops only the token that failed, so a burst of 401s causes one refresh;
 * - a circuit breaker stops asking the token endpoint after repeated credential refusals.
 */
export class SalesforceTokenProvider {
  private readonly logger = new Logger(SalesforceTokenProvider.name);
  private held?: HeldToken;
  private inflight?: Promise<AccessToken>;
  private lastError?: string;
  private lastRefreshAt?: number;
  private lastRefusal?: SalesforceError;
  private readonly breaker: CircuitBreakerPolicy;

  constructor(
    private readonly options: TokenProviderOptions,
    private readonly transport: SalesforceTransport,
    private readonly grant: TokenGrant,
    private readonly metrics: SalesforceMetrics,
    private readonly now: () => number = Date.now,
  ) {
    this.breaker = circuitBreaker(
      handleWhen(
        (error) => error instanceof SalesforceError && error.code === SalesforceErrorCode.AUTH_FAILED,
      ),
      {
        halfOpenAfter: new ExponentialBackoff({
          generator: noJitterGenerator,
          initialDelay: options.tokenRetryAfterMs,
          maxDelay: Math.max(options.tokenRetryAfterMs, MAX_CIRCUIT_PAUSE_MS),
        }),
        breaker: new ConsecutiveBreaker(options.tokenFailureThreshold),
      },
    );
  }

  get flow(): string {
    return this.grant.flow;
  }

  async getToken(): Promise<AccessToken> {
    const held = this.held;
    if (held) {
      const msLeft = held.lastUsedAt + this.options.sessionTimeoutSeconds * 1000 - this.now();
      if (msLeft > this.options.tokenRefreshMarginSeconds * 1000) return held.token;
      if (msLeft > 0) {
        // Refresh ahead; failures are recorded in tokenStatus and retried by the next request.
        this.refresh().catch(() => undefined);
        return held.token;
      }
    }
    return this.refresh();
  }

  /** After `401 INVALID_SESSION_ID`: forget this token (unless already replaced) so the next call refreshes. */
  invalidate(token: AccessToken): void {
    if (this.held?.token === token) this.held = undefined;
  }

  /** A successful API call resets Salesforce's inactivity timer. */
  markUsed(token: AccessToken): void {
    if (this.held?.token === token) this.held.lastUsedAt = this.now();
  }

  status(): TokenStatus {
    const lastRefreshAt =
      this.lastRefreshAt === undefined ? undefined : new Date(this.lastRefreshAt).toISOString();
    const held = this.held;
    const msLeft = held ? held.lastUsedAt + this.options.sessionTimeoutSeconds * 1000 - this.now() : 0;
    if (held && msLeft > 0) {
      const state = msLeft > this.options.tokenRefreshMarginSeconds * 1000 ? 'valid' : 'expiring';
      return { state, secondsLeft: Math.floor(msLeft / 1000), lastError: this.lastError, lastRefreshAt };
    }
    if (this.lastError) return { state: 'failed', lastError: this.lastError, lastRefreshAt };
    return { state: 'none', lastRefreshAt };
  }

  private refresh(): Promise<AccessToken> {
    this.inflight ??= this.obtain().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async obtain(): Promise<AccessToken> {
    try {
      const response = await this.breaker.execute(() => this.grant.obtain((form) => this.exchange(form)));
      const token: AccessToken = {
        accessToken: response.access_token,
        instanceUrl: response.instance_url.replace(/\/+$/, ''),
        identityUrl: response.id,
      };
      this.held = { token, lastUsedAt: this.now() };
      this.lastRefreshAt = this.now();
      this.lastError = undefined;
      this.lastRefusal = undefined;
      this.logger.log(`Salesforce access token obtained (${this.grant.flow})`);
      return token;
    } catch (error) {
      const failure = this.describeFailure(error);
      this.lastError = failure.message;
      this.logger.error(failure.message);
      throw failure;
    }
  }

  private async exchange(form: URLSearchParams): Promise<TokenResponse> {
    let response: HttpResponse;
    try {
      response = await this.transport.send({
        method: 'POST',
        url: `${this.options.loginUrl}/services/oauth2/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        operation: 'token request',
      });
    } catch (error) {
      this.countTokenRequest(error instanceof SalesforceError ? error.code : SalesforceErrorCode.UNKNOWN);
      throw error;
    }
    if (response.status === 200) {
      const body = parseTokenResponse(response.text);
      this.countTokenRequest(body ? 'success' : SalesforceErrorCode.UNKNOWN);
      if (!body) {
        throw new SalesforceError(
          SalesforceErrorCode.UNKNOWN,
          'Salesforce token endpoint answered 200 without access_token and instance_url',
          true,
          { status: 200 },
        );
      }
      return body;
    }
    const error = this.tokenEndpointError(response);
    this.countTokenRequest(error.code);
    if (error.code === SalesforceErrorCode.AUTH_FAILED) this.lastRefusal = error;
    throw error;
  }

  private countTokenRequest(outcome: string): void {
    this.metrics.tokenRequests.inc({ flow: this.grant.flow, outcome: outcome.toLowerCase() });
  }

  private tokenEndpointError(response: HttpResponse): SalesforceError {
    const { error, description } = parseOAuthError(response.text);
    if (response.status >= 500) {
      return new SalesforceError(
        SalesforceErrorCode.UNAVAILABLE,
        `Salesforce token endpoint unavailable (${response.status})`,
        true,
        { status: response.status },
      );
    }
    if (error === 'rate_limit_exceeded' || /LOGIN_RATE_EXCEEDED/i.test(description ?? '')) {
      return new SalesforceError(
        SalesforceErrorCode.RATE_LIMITED,
        'Salesforce refused the token request: login rate exceeded',
        true,
        {
          status: response.status,
          salesforceCode: error,
        },
      );
    }
    const said = this.scrub(`${error ?? `HTTP ${response.status}`}${description ? `: ${description}` : ''}`);
    const fix = this.grant.hint(error, description);
    return new SalesforceError(
      SalesforceErrorCode.AUTH_FAILED,
      `Salesforce refused the ${this.grant.flow} token request (${said}); ${fix}`,
      false,
      { status: response.status, salesforceCode: error, fix },
    );
  }

  private describeFailure(error: unknown): SalesforceError {
    if (error instanceof BrokenCircuitError) {
      const reason = this.lastRefusal?.message ?? 'Salesforce refused the credentials repeatedly';
      return new SalesforceError(
        SalesforceErrorCode.AUTH_FAILED,
        `${reason} — token requests paused after ${this.options.tokenFailureThreshold} refusals`,
        false,
        { cause: error, fix: this.lastRefusal?.fix },
      );
    }
    if (error instanceof SalesforceError) return error;
    const message = error instanceof Error ? this.scrub(error.message) : 'unknown error';
    return new SalesforceError(
      SalesforceErrorCode.AUTH_FAILED,
      `Salesforce token request failed: ${message}`,
      false,
      {
        cause: error,
      },
    );
  }

  /** Anything the endpoint echoes goes through here: configured secrets never reach a message. */
  private scrub(text: string): string {
    let clean = text.slice(0, 300);
    for (const secret of this.grant.secrets()) {
      if (secret.length >= 4) clean = clean.split(secret).join('***');
    }
    return clean;
  }
}

function parseTokenResponse(text: string): TokenResponse | undefined {
  try {
    const body = JSON.parse(text) as Partial<TokenResponse>;
    if (typeof body.access_token !== 'string' || typeof body.instance_url !== 'string') return undefined;
    return body as TokenResponse;
  } catch {
    return undefined;
  }
}

function parseOAuthError(text: string): { error?: string; description?: string } {
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    return {
      error: typeof body.error === 'string' ? body.error : undefined,
      description: typeof body.error_description === 'string' ? body.error_description : undefined,
    };
  } catch {
    return {};
  }
}
