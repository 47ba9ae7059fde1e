import { SalesforceFake, SalesforceFakeStats, startSalesforceFake } from './salesforce-fake';
import { FaultState } from './fake-faults';
import { API, apiClient, ApiClient, requestToken } from './spec-helpers';

let fake: SalesforceFake;
let api: ApiClient;

async function start(options: Parameters<typeof startSalesforceFake>[0] = {}): Promise<void> {
  fake = await startSalesforceFake(options);
  api = await apiClient(fake);
}

afterEach(() => fake.close());

describe('API usage and the daily limit', () => {
  it('should count each data request once in Sforce-Limit-Info, composites included, tokens excluded', async () => {
    await start({ dailyApiLimit: 50 });
    expect((await api.call('GET', '/limits')).headers.get('sforce-limit-info')).toBe('api-usage=1/50');
    await requestToken(fake, {
      grant_type: 'client_credentials',
      client_id: 'fake-client-id',
      client_secret: 'fake-client-secret',
    });
    const composite = await api.call('POST', '/composite', {
      compositeRequest: [
        { method: 'GET', url: `${API}/limits`, referenceId: 'a' },
        { method: 'GET', url: `${API}/limits`, referenceId: 'b' },
      ],
    });
    expect(composite.headers.get('sforce-limit-info')).toBe('api-usage=2/50');
    expect(fake.stats).toMatchObject({ apiCallsCounted: 2, apiUsage: { used: 2, limit: 50 } });
  });

  it('should answer 403 REQUEST_LIMIT_EXCEEDED without Retry-After once the limit is reached, until the 24 h window rolls', async () => {
    await start({ dailyApiLimit: 3, sessionTimeoutSeconds: 2 * 86_400 });
    for (let i = 0; i < 3; i++) expect((await api.call('GET', '/limits')).status).toBe(200);
    const refused = await api.call('GET', '/limits');
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(refused.headers.get('sforce-limit-info')).toBe('api-usage=3/3');
    fake.advanceTime(24 * 3_600_000 + 60_000);
    expect((await api.call('GET', '/limits')).status).toBe(200);
  });
});

describe('fault injection', () => {
  beforeEach(() => start());

  it('should answer 503 with an error array during an outage, only on matched paths', async () => {
    fake.faults.set({ outage: true, match: '/query' });
    const down = await api.query('SELECT Id FROM Case');
    expect(down.status).toBe(503);
    expect(down.body).toEqual([{ errorCode: 'SERVER_UNAVAILABLE', message: expect.any(String) }]);
    expect((await api.call('POST', '/sobjects/Account', { Name: 'A' })).status).toBe(201);
    fake.faults.clear();
    expect((await api.query('SELECT Id FROM Case')).status).toBe(200);
  });

  it('should answer 403 REQUEST_LIMIT_EXCEEDED on demand', async () => {
    fake.faults.set({ limitExceeded: true });
    const { status, body } = await api.call('GET', '/limits');
    expect(status).toBe(403);
    expect(body[0].errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
  });

  it('should inject 500 UNKNOWN_EXCEPTION at a seeded, repeatable rate', async () => {
    const run = async () => {
      fake.faults.set({ errorRate: 0.5, errorSeed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await api.call('GET', '/limits')).status);
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
    fake.faults.set({ errorRate: 1 });
    expect((await api.call('GET', '/limits')).body[0].errorCode).toBe('UNKNOWN_EXCEPTION');
  });

  it('should delay matched requests by latencyMs', async () => {
    fake.faults.set({ latencyMs: 60_000, match: '/sobjects' });
    await expect(
      fetch(`${fake.url}${API}/sobjects/Case/describe`, { signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    expect((await api.call('GET', '/limits')).status).toBe(200);
  });

  it('should add a jitter within [latencyMs, latencyMs + latencyJitterMs) to the delay', () => {
    const faults = new FaultState();
    const request = { method: 'GET', path: `${API}/query?q=x`, kind: 'query' as const };
    faults.set({ latencyMs: 40, latencyJitterMs: 20 });
    const delays = Array.from({ length: 200 }, () => faults.latencyMs(request));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...delays)).toBeLessThan(60);
    expect(new Set(delays).size).toBeGreaterThan(10);
    faults.set({ latencyJitterMs: 0 });
    expect(faults.latencyMs(request)).toBe(40);
    expect(() => faults.set({ latencyJitterMs: -1 })).toThrow(RangeError);
  });

  it('should hold a hung request open without answering until close', async () => {
    fake.faults.set({ hang: true, match: (request) => request.kind === 'query' });
    await expect(
      fetch(`${fake.url}${API}/query?q=SELECT+Id+FROM+Case`, { signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    expect(fake.stats.faults.hung).toBe(1);
    expect((await api.call('GET', '/limits')).status).toBe(200);
  });

  it('should commit a write and then drop the connection without a response', async () => {
    fake.faults.set({ loseResponses: 1 });
    expect((await api.call('GET', '/limits')).status).toBe(200);
    await expect(api.call('POST', '/sobjects/Case', { Subject: 'lost reply' })).rejects.toThrow();
    expect(fake.records('Case')).toEqual([expect.objectContaining({ Subject: 'lost reply' })]);
    expect((await api.call('POST', '/sobjects/Case', { Subject: 'answered' })).status).toBe(201);
    expect(fake.stats.faults.lostResponses).toBe(1);
  });

  it('should fail the token endpoint separately from the data API', async () => {
    fake.faults.set({ tokenOutage: true });
    const { status } = await requestToken(fake, {
      grant_type: 'client_credentials',
      client_id: 'fake-client-id',
      client_secret: 'fake-client-secret',
    });
    expect(status).toBe(503);
    expect((await api.call('GET', '/limits')).status).toBe(200);
  });
});

describe('control API', () => {
  beforeEach(() => start());

  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${fake.url}/__fake/${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('should set and clear faults over HTTP', async () => {
    expect((await control('POST', 'faults', { outage: true, match: '/sobjects' })).status).toBe(200);
    expect((await api.call('GET', '/sobjects/Case/describe')).status).toBe(503);
    expect((await control('DELETE', 'faults')).status).toBe(204);
    expect((await api.call('GET', '/sobjects/Case/describe')).status).toBe(200);
  });

  it('should expose records and stats, expire tokens and reset', async () => {
    await api.call('POST', '/sobjects/Account', { Name: 'Acme' });
    expect(await (await control('GET', 'records/Account')).json()).toEqual([
      expect.objectContaining({ Name: 'Acme' }),
    ]);
    const stats = (await (await control('GET', 'stats')).json()) as SalesforceFakeStats;
    expect(stats.apiRequests['sobject-create']).toBe(1);
    expect(stats.tokenRequests.client_credentials).toBe(1);

    await control('POST', 'expire-tokens');
    expect((await api.call('GET', '/limits')).status).toBe(401);

    await control('POST', 'reset');
    expect(fake.records('Account')).toEqual([]);
    expect(fake.stats.apiCallsCounted).toBe(0);
  });
});
