import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApiResponse, classifyRoute, DataApi, isWrite, RouteKind, ROUTE_KINDS } from './data-api';
import { FakeAuth, FakeClientConfig, GrantKind } from './fake-auth';
import { sfError } from './fake-errors';
import { FakeDuplicateRule } from './fake-duplicate-rules';
import { FaultRequestInfo, FaultSettings, FaultState } from './fake-faults';
import { FakeSchema } from './fake-schema';
import { FakeStore, FieldValue } from './fake-store';
import { SoqlEngine } from './soql-engine';
import { SoslEngine } from './sosl-parser';

/**
 * A standalone HTTP fake of the Salesforce REST API and OAuth token endpoint (used by the tests, the demo and the bench; wire contract in the
 * Salesforce client's docs; facts from reference/salesforce.md). One origin serves the token endpoint, the data
 * API under `/services/data/vXX.X` and a control API under `/__fake/` for tests and tools in other processes.
 */

export type { FakeClientConfig, GrantFlow } from './fake-auth';
export type { FaultRequestInfo, FaultSettings } from './fake-faults';
export type { RouteKind } from './data-api';
export type { FieldValue } from './fake-store';
export type { FakeDuplicateRule } from './fake-duplicate-rules';

export type FakeRecord = Readonly<Record<string, FieldValue>>;

/** What `seed` gets: enough to insert records and chain their ids. */
export interface SalesforceFakeSeeder {
  insert(type: string, fields: Record<string, unknown>): string;
  now(): number;
}

export interface SalesforceFakeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost. */
  host?: string;
  /** Connected apps; default one client `DEFAULT_FAKE_CLIENT` allowed every flow. */
  clients?: FakeClientConfig[];
  /** Access tokens lapse after this long since their last use (default 7,200: Salesforce's 2 h). */
  sessionTimeoutSeconds?: number;
  /** Daily API request limit, rolling 24 h (default 100,000). */
  dailyApiLimit?: number;
  /** SOSL does not find records written less than this long ago (default 0; the real index lags 1–3 min). */
  searchIndexLagMs?: number;
  /** Optional unique external-id text field on Case, e.g. `Voice_Call_Key__c`. */
  caseExternalIdField?: string;
  /** Optional unique external-id text field on Task. */
  taskExternalIdField?: string;
  /** Values of the restricted Case.Type picklist (default Billing, Technical, Account, Other). */
  caseTypes?: string[];
  /** API versions the org serves (default 31.0 to 67.0); others answer 404 as Salesforce does. */
  apiVersions?: string[];
  /** The org's duplicate rules (none by default); `duplicateRules.set` changes them at run time. */
  duplicateRules?: FakeDuplicateRule[];
  /** Time source in ms (default Date.now); `advanceTime` adds to it. */
  clock?: () => number;
  /** Inserts the initial records; run again by `reset()`. */
  seed?: (seeder: SalesforceFakeSeeder) => void;
}

export interface SalesforceFakeStats {
  tokenRequests: Record<GrantKind, number>;
  tokenFailures: number;
  /** Data API requests by route, whether or not they succeeded. */
  apiRequests: Record<RouteKind, number>;
  /** Requests counted against the daily limit since start or reset (a composite counts once). */
  apiCallsCounted: number;
  apiUsage: { used: number; limit: number };
  unauthorized: number;
  limitRejections: number;
  faults: {
    outage: number;
    error: number;
    limitExceeded: number;
    hung: number;
    lostResponses: number;
    tokenOutage: number;
  };
}

export interface FaultControl {
  /** Merges the given settings into the current ones. */
  set(settings: FaultSettings): void;
  /** Removes every fault (and restores revoked credentials). */
  clear(): void;
  /** Every issued access token becomes invalid → 401 INVALID_SESSION_ID. */
  expireTokens(): void;
  /** Tokens invalid and every grant refused (invalid_grant) until `clear()`. */
  revokeCredentials(): void;
  current(): Readonly<FaultSettings>;
}

export interface SalesforceFake {
  /** Origin, e.g. `http://127.0.0.1:4010`: the login URL and the instance URL. */
  readonly url: string;
  close(): Promise<void>;
  records(type: string): FakeRecord[];
  record(type: string, id: string): FakeRecord | undefined;
  /** Seeds a record (not counted as API usage; read-only fields such as CreatedDate may be set). */
  insert(type: string, fields: Record<string, unknown>): string;
  /** Back to the state after start: records re-seeded, tokens, usage, stats and faults cleared. */
  reset(): void;
  readonly stats: SalesforceFakeStats;
  readonly faults: FaultControl;
  /** The org's duplicate rules: saves matching another record are refused with DUPLICATES_DETECTED. */
  readonly duplicateRules: { set(rules: FakeDuplicateRule[]): void; current(): FakeDuplicateRule[] };
  /** Case only: whether assignment rules ran (no `Sforce-Auto-Assign: FALSE`). */
  assignmentRulesApplied(caseId: string): boolean | undefined;
  /** The file behind a ContentVersion. */
  versionData(contentVersionId: string): Buffer | undefined;
  now(): number;
  advanceTime(ms: number): void;
}

export const DEFAULT_FAKE_CLIENT: FakeClientConfig = {
  clientId: 'fake-client-id',
  clientSecret: 'fake-client-secret',
};

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const JSON_TYPE = 'application/json;charset=UTF-8';

/** Rolling 24-hour usage in one-minute buckets (limits are per org, rolling 24 h: reference §3). */
class UsageCounter {
  private buckets = new Map<number, number>();
  private total = 0;

  constructor(private readonly now: () => number) {}

  used(): number {
    const oldest = Math.floor((this.now() - DAY_MS) / MINUTE_MS);
    for (const [minute, count] of this.buckets) {
      if (minute > oldest) continue;
      this.total -= count;
      this.buckets.delete(minute);
    }
    return this.total;
  }

  add(): void {
    const minute = Math.floor(this.now() / MINUTE_MS);
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + 1);
    this.total++;
  }

  reset(): void {
    this.buckets.clear();
    this.total = 0;
  }
}

function emptyStats(limit: number): SalesforceFakeStats {
  return {
    tokenRequests: { client_credentials: 0, jwt_bearer: 0, refresh_token: 0, invalid: 0 },
    tokenFailures: 0,
    apiRequests: Object.fromEntries(ROUTE_KINDS.map((k) => [k, 0])) as Record<RouteKind, number>,
    apiCallsCounted: 0,
    apiUsage: { used: 0, limit },
    unauthorized: 0,
    limitRejections: 0,
    faults: { outage: 0, error: 0, limitExceeded: 0, hung: 0, lostResponses: 0, tokenOutage: 0 },
  };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export async function startSalesforceFake(options: SalesforceFakeOptions = {}): Promise<SalesforceFake> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error('The Salesforce fake listens on loopback only');
  let offset = 0;
  const baseClock = options.clock ?? Date.now;
  const now = () => baseClock() + offset;
  const limit = options.dailyApiLimit ?? 100_000;
  const apiVersions =
    options.apiVersions ?? Array.from({ length: 67 - 31 + 1 }, (_, index) => `${31 + index}.0`);

  const schema = new FakeSchema({
    caseTypes: options.caseTypes,
    caseExternalIdField: options.caseExternalIdField,
    taskExternalIdField: options.taskExternalIdField,
  });
  const store = new FakeStore(schema, now, options.searchIndexLagMs ?? 0, options.duplicateRules);
  const soql = new SoqlEngine(store, now);
  const sosl = new SoslEngine(store, soql);
  const usage = new UsageCounter(now);
  const api = new DataApi(store, soql, sosl, () => ({ used: usage.used(), limit }));
  const auth = new FakeAuth(
    options.clients ?? [DEFAULT_FAKE_CLIENT],
    now,
    (options.sessionTimeoutSeconds ?? 7200) * 1000,
  );
  const faultState = new FaultState();
  let stats = emptyStats(limit);
  const timers = new Set<NodeJS.Timeout>();
  let origin = '';

  const seeder: SalesforceFakeSeeder = { insert: (type, fields) => store.seed(type, fields), now };
  const runSeed = () => options.seed?.(seeder);
  runSeed();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const send = (
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    if (response.destroyed) return;
    if (status === 204 || body === undefined) {
      response.writeHead(status, headers).end();
      return;
    }
    if (Buffer.isBuffer(body)) {
      response.writeHead(status, { 'Content-Length': String(body.length), ...headers }).end(body);
      return;
    }
    const text = JSON.stringify(body);
    response
      .writeHead(status, {
        'Content-Type': JSON_TYPE,
        'Content-Length': String(Buffer.byteLength(text)),
        ...headers,
      })
      .end(text);
  };

  const handleToken = async (request: IncomingMessage, response: ServerResponse, raw: Buffer) => {
    const form = new URLSearchParams(request.method === 'POST' ? raw.toString('utf8') : '');
    const grantType = form.get('grant_type');
    const kind: GrantKind =
      grantType === 'client_credentials' || grantType === 'refresh_token'
        ? grantType
        : grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer'
          ? 'jwt_bearer'
          : 'invalid';
    stats.tokenRequests[kind]++;
    const tokenFaults = faultState.token();
    if (tokenFaults.latencyMs > 0) await sleep(tokenFaults.latencyMs);
    if (tokenFaults.hang) return;
    const headers = { 'Cache-Control': 'no-cache,must-revalidate,max-age=0,no-store,private' };
    if (tokenFaults.outage) {
      stats.faults.tokenOutage++;
      send(
        response,
        503,
        { error: 'temporarily_unavailable', error_description: 'service unavailable' },
        headers,
      );
      return;
    }
    if (request.method !== 'POST') {
      stats.tokenFailures++;
      send(response, 400, { error: 'invalid_request', error_description: 'must use HTTP POST' }, headers);
      return;
    }
    const result = await auth.token(form, headerValue(request.headers.authorization), origin);
    if (result.status !== 200) stats.tokenFailures++;
    send(response, result.status, result.body, headers);
  };

  const handleData = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    apiVersion: string,
    rest: string,
    raw: Buffer,
  ) => {
    const method = request.method ?? 'GET';
    const kind = classifyRoute(method, rest);
    stats.apiRequests[kind]++;
    const info: FaultRequestInfo = { method, path: url.pathname + url.search, kind };
    const limitHeader = () => ({ 'Sforce-Limit-Info': `api-usage=${usage.used()}/${limit}` });
    const fail = (status: number, code: string, message: string) =>
      send(response, status, sfError(status, code, message).items, limitHeader());

    const latency = faultState.latencyMs(info);
    if (latency > 0) await sleep(latency);
    if (faultState.hangs(info)) {
      stats.faults.hung++;
      return;
    }
    switch (faultState.dataFault(info)) {
      case 'outage':
        stats.faults.outage++;
        return fail(
          503,
          'SERVER_UNAVAILABLE',
          'The server is temporarily unavailable. Please try again later.',
        );
      case 'limitExceeded':
        stats.faults.limitExceeded++;
        return fail(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
      case 'error':
        stats.faults.error++;
        return fail(
          500,
          'UNKNOWN_EXCEPTION',
          'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-123456789)',
        );
      case undefined:
        break;
    }
    if (!auth.authenticate(headerValue(request.headers.authorization))) {
      stats.unauthorized++;
      return fail(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    }
    // Over the daily limit: 403 REQUEST_LIMIT_EXCEEDED, no Retry-After (reference §3).
    if (usage.used() >= limit) {
      stats.limitRejections++;
      return fail(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    usage.add();
    stats.apiCallsCounted++;

    let body: unknown;
    if (raw.length > 0 && method !== 'GET') {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return fail(400, 'JSON_PARSER_ERROR', 'Unexpected character in the request body: not valid JSON');
      }
    }
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name] = headerValue(value);
    const result: ApiResponse = api.dispatch({
      method,
      path: rest,
      query: url.searchParams,
      body,
      headers,
      apiVersion,
    });
    // "Committed but the response was lost": the write happened, the caller never hears about it.
    if (isWrite(method) && faultState.takeLostResponse(info)) {
      stats.faults.lostResponses++;
      request.socket.destroy();
      return;
    }
    send(response, result.status, result.raw ?? result.body, { ...limitHeader(), ...result.headers });
  };

  const fake: SalesforceFake = {
    get url() {
      return origin;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    records: (type) => store.all(type).map((r) => ({ ...r.fields })),
    record: (type, id) => {
      const found = store.get(type, id);
      return found ? { ...found.fields } : undefined;
    },
    insert: (type, fields) => store.seed(type, fields),
    reset: () => {
      store.reset();
      auth.reset();
      usage.reset();
      faultState.clear();
      stats = emptyStats(limit);
      runSeed();
    },
    get stats() {
      const snapshot = structuredClone(stats);
      snapshot.apiUsage = { used: usage.used(), limit };
      return snapshot;
    },
    faults: {
      set: (settings) => faultState.set(settings),
      clear: () => {
        faultState.clear();
        auth.credentialsRevoked = false;
      },
      expireTokens: () => auth.expireAll(),
      revokeCredentials: () => {
        auth.expireAll();
        auth.credentialsRevoked = true;
      },
      current: () => faultState.current(),
    },
    duplicateRules: {
      set: (rules) => store.duplicateRules.set(rules),
      current: () => store.duplicateRules.current(),
    },
    assignmentRulesApplied: (caseId) => store.get('Case', caseId)?.assignmentRulesApplied,
    versionData: (id) => store.get('ContentVersion', id)?.blob,
    now,
    advanceTime: (ms) => {
      offset += ms;
    },
  };

  const handleControl = (request: IncomingMessage, response: ServerResponse, url: URL, raw: Buffer) => {
    const [, , resource, type, id] = url.pathname.split('/').map((s) => decodeURIComponent(s));
    const method = request.method ?? 'GET';
    const json = (): Record<string, unknown> =>
      raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    const route = `${method} ${resource}`;
    switch (route) {
      case 'GET records':
        if (!type) return send(response, 400, { error: 'type required' });
        if (id) {
          const found = fake.record(type, id);
          return found ? send(response, 200, found) : send(response, 404, { error: 'not found' });
        }
        return send(response, 200, fake.records(type));
      case 'POST records':
        return send(response, 201, { id: fake.insert(type, json()) });
      case 'GET stats':
        return send(response, 200, fake.stats);
      case 'GET faults':
        return send(response, 200, faultState.current());
      case 'POST faults': {
        const settings = json() as FaultSettings;
        if (settings.match !== undefined && typeof settings.match !== 'string') {
          return send(response, 400, { error: 'match must be a path prefix over HTTP' });
        }
        fake.faults.set(settings);
        return send(response, 200, faultState.current());
      }
      case 'DELETE faults':
        fake.faults.clear();
        return send(response, 204, undefined);
      case 'POST reset':
        fake.reset();
        return send(response, 204, undefined);
      case 'POST expire-tokens':
        fake.faults.expireTokens();
        return send(response, 204, undefined);
      case 'POST revoke-credentials':
        fake.faults.revokeCredentials();
        return send(response, 204, undefined);
      case 'POST advance-time': {
        const ms = Number(json().ms);
        if (!Number.isFinite(ms)) return send(response, 400, { error: 'ms required' });
        fake.advanceTime(ms);
        return send(response, 200, { now: now() });
      }
      case 'GET duplicate-rules':
        return send(response, 200, fake.duplicateRules.current());
      case 'POST duplicate-rules': {
        const rules: unknown = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : [];
        if (!Array.isArray(rules)) return send(response, 400, { error: 'a JSON array of rules required' });
        fake.duplicateRules.set(rules as FakeDuplicateRule[]);
        return send(response, 200, fake.duplicateRules.current());
      }
      case 'GET assignment':
        return send(response, 200, { assignmentRulesApplied: fake.assignmentRulesApplied(type) ?? null });
      default:
        return send(response, 404, { error: 'unknown control route' });
    }
  };

  const server = createServer((request, response) => {
    void (async () => {
      try {
        const raw = await readBody(request);
        const url = new URL(request.url ?? '/', origin);
        if (url.pathname.startsWith('/__fake/')) return handleControl(request, response, url, raw);
        if (url.pathname === '/services/oauth2/token') return await handleToken(request, response, raw);
        if (/^\/services\/data\/?$/.test(url.pathname)) {
          // The Versions resource needs no token.
          const versions = apiVersions.map((version) => ({
            label: `v${version}`,
            url: `/services/data/v${version}`,
            version,
          }));
          return send(response, 200, versions);
        }
        const data = /^\/services\/data\/v(\d+\.\d+)(\/.*)?$/.exec(url.pathname);
        if (data && !apiVersions.includes(data[1])) {
          return send(
            response,
            404,
            sfError(404, 'NOT_FOUND', 'The requested resource does not exist').items,
          );
        }
        if (data) return await handleData(request, response, url, data[1], data[2] ?? '/', raw);
        send(response, 404, sfError(404, 'NOT_FOUND', 'The requested resource does not exist').items);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        send(response, 500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: `fake internal error: ${message}` }]);
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  origin = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return fake;
}
