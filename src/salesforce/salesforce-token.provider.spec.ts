import { Logger } from '@nestjs/common';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import { Registry } from 'prom-client';
import { buildSalesforceConfig } from './salesforce.config';
import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';
import { SalesforceMetrics } from './salesforce.metrics';
import { SalesforceTransport } from './salesforce-transport';
import { createTokenGrant, jwtAudience } from './salesforce-token.grants';
import { SalesforceTokenProvider } from './salesforce-token.provider';
import { InMemorySalesforceTokenStore, SalesforceTokenStore } from './salesforce-token.store';

// Token and retry logs are expected here; keep the test output readable.
Logger.overrideLogger(false);

type Reply = { status: number; body: unknown; delayMs?: number };

/** A token endpoint that records every form it receives and answers through `reply`. */
async function startTokenEndpoint(reply: (form: URLSearchParams, count: number) => Reply) {
  const forms: URLSearchParams[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const form = new URLSearchParams(raw);
      forms.push(form);
      const answer = reply(form, forms.length);
      setTimeout(() => {
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer.body));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, forms, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const tokenBody = (token: string, url: string, extra: Record<string, string> = {}) => ({
  access_token: token,
  instance_url: url,
  id: `${url}/id/00D000000000001AAA/005000000000001AAA`,
  token_type: 'Bearer',
  issued_at: String(Date.now()),
  signature: 'c2ln',
  scope: 'api',
  ...extra,
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries += 1)
    await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

const SECRET = 'super-secret-value-123';

function providerFor(
  url: string,
  env: Record<string, string>,
  options: { store?: SalesforceTokenStore; now?: () => number; registry?: Registry } = {},
) {
  const config = buildSalesforceConfig({
    SALESFORCE_AUTH_FLOW: 'client_credentials',
    SALESFORCE_LOGIN_URL: url,
    SALESFORCE_CLIENT_ID: 'client-id',
    SALESFORCE_CLIENT_SECRET: SECRET,
    SALESFORCE_TOKEN_RETRY_AFTER_MS: '60000',
    ...env,
  });
  const transport = new SalesforceTransport({ requestTimeoutMs: 2000, connections: 10 });
  const registry = options.registry ?? new Registry();
  const store = options.store ?? new InMemorySalesforceTokenStore(config.refreshToken);
  const grant = createTokenGrant(config, store, options.now);
  const provider = new SalesforceTokenProvider(
    config,
    transport,
    grant,
    new SalesforceMetrics(registry),
    options.now,
  );
  return { provider, transport, registry };
}

describe('SalesforceTokenProvider', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });

  it('should send one client_credentials request for 1,000 concurrent callers on a cold cache', async () => {
    const endpoint = await startTokenEndpoint((_form, count) => ({
      status: 200,
      body: tokenBody(`token-${count}`, 'http://instance.example'),
      delayMs: 20,
    }));
    const { provider, transport, registry } = providerFor(endpoint.url, {});
    cleanups.push(endpoint.close, () => transport.close());

    const tokens = await Promise.all(Array.from({ length: 1000 }, () => provider.getToken()));

    expect(endpoint.forms).toHaveLength(1);
    expect(Object.fromEntries(endpoint.forms[0])).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-id',
      client_secret: SECRET,
    });
    expect(new Set(tokens.map((token) => token.accessToken))).toEqual(new Set(['token-1']));
    expect(tokens[0].instanceUrl).toBe('http://instance.example');
    expect(await registry.getSingleMetricAsString('salesforce_token_requests_total')).toContain(
      'salesforce_token_requests_total{flow="client_credentials",outcome="success"} 1',
    );
  });

  it('should sign an RS256 assertion with iss, sub, aud and a short exp for jwt_bearer', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const endpoint = await startTokenEndpoint(() => ({
      status: 200,
      body: tokenBody('jwt-token', 'http://i'),
    }));
    const { provider, transport } = providerFor(endpoint.url, {
      SALESFORCE_AUTH_FLOW: 'jwt_bearer',
      SALESFORCE_USERNAME: 'integration@example.com',
      // Env files often carry the PEM on one line with literal \n.
      SALESFORCE_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
      SALESFORCE_CLIENT_SECRET: '',
    });
    cleanups.push(endpoint.close, () => transport.close());

    await provider.getToken();

    const form = endpoint.forms[0];
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(form.get('client_secret')).toBeNull();
    const { payload, protectedHeader } = await jwtVerify(form.get('assertion')!, publicKey, {
      issuer: 'client-id',
      subject: 'integration@example.com',
      audience: 'https://login.salesforce.com',
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.exp! - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(180);
  });

  it('should derive the JWT audience from the login host unless set explicitly', () => {
    expect(jwtAudience('https://test.salesforce.com')).toBe('https://test.salesforce.com');
    expect(jwtAudience('https://acme--uat.sandbox.my.salesforce.com')).toBe('https://test.salesforce.com');
    expect(jwtAudience('https://acme.my.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtAudience('https://login.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtAudience('https://acme.my.salesforce.com', 'https://acme.my.site.com/')).toBe(
      'https://acme.my.site.com',
    );
  });

  it('should never use a rotated refresh token twice, even with two replicas refreshing at once', async () => {
    const used = new Set<string>();
    let next = 1;
    const endpoint = await startTokenEndpoint((form) => {
      const presented = form.get('refresh_token')!;
      if (used.has(presented))
        return {
          status: 400,
          body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
        };
      used.add(presented);
      next += 1;
      return {
        status: 200,
        body: tokenBody(`access-${next}`, 'http://i', { refresh_token: `refresh-${next}` }),
        delayMs: 15,
      };
    });
    const store = new InMemorySalesforceTokenStore('refresh-1');
    const env = { SALESFORCE_AUTH_FLOW: 'refresh_token', SALESFORCE_REFRESH_TOKEN: 'refresh-1' };
    const replicaA = providerFor(endpoint.url, env, { store });
    const replicaB = providerFor(endpoint.url, env, { store });
    cleanups.push(
      endpoint.close,
      () => replicaA.transport.close(),
      () => replicaB.transport.close(),
    );

    await Promise.all([
      replicaA.provider.getToken(),
      replicaB.provider.getToken(),
      replicaA.provider.getToken(),
    ]);

    expect(endpoint.forms.map((form) => form.get('refresh_token'))).toEqual(['refresh-1', 'refresh-2']);
    expect(await store.loadRefreshToken()).toBe('refresh-3');
    expect(replicaA.provider.status().state).toBe('valid');
    expect(replicaB.provider.status().state).toBe('valid');
  });

  it('should explain a refusal without the secret and stop asking after repeated refusals', async () => {
    const endpoint = await startTokenEndpoint((form) => ({
      status: 400,
      // A hostile or buggy endpoint echoing the secret must not get it into our messages.
      body: {
        error: 'invalid_client',
        error_description: `invalid client credentials ${form.get('client_secret')}`,
      },
    }));
    const { provider, transport } = providerFor(endpoint.url, { SALESFORCE_TOKEN_FAILURE_THRESHOLD: '2' });
    cleanups.push(endpoint.close, () => transport.close());

    const failures: SalesforceError[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      failures.push(
        await provider.getToken().then(
          () => {
            throw new Error('token obtained');
          },
          (error: SalesforceError) => error,
        ),
      );
    }

    expect(endpoint.forms).toHaveLength(2);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(SalesforceError);
      expect(failure.code).toBe(SalesforceErrorCode.AUTH_FAILED);
      expect(failure.retryable).toBe(false);
      expect(failure.message).toContain('SALESFORCE_CLIENT_SECRET');
      expect(failure.message).not.toContain(SECRET);
    }
    expect(failures[5].message).toContain('paused');
    const status = provider.status();
    expect(status.state).toBe('failed');
    expect(status.lastError).not.toContain(SECRET);
  });

  it('should tell client_credentials users to use their My Domain host', async () => {
    const endpoint = await startTokenEndpoint(() => ({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'request not supported on this domain' },
    }));
    const { provider, transport } = providerFor(endpoint.url, {});
    cleanups.push(endpoint.close, () => transport.close());

    await expect(provider.getToken()).rejects.toThrow(/My Domain host in SALESFORCE_LOGIN_URL/);
  });

  it('should refresh ahead of the session timeout, counted from the last use', async () => {
    let clock = Date.parse('2026-11-24T10:00:00Z');
    const endpoint = await startTokenEndpoint((_form, count) => ({
      status: 200,
      body: tokenBody(`token-${count}`, 'http://i'),
    }));
    const { provider, transport } = providerFor(
      endpoint.url,
      { SALESFORCE_SESSION_TIMEOUT_SECONDS: '7200', SALESFORCE_TOKEN_REFRESH_MARGIN_SECONDS: '300' },
      { now: () => clock },
    );
    cleanups.push(endpoint.close, () => transport.close());

    const first = await provider.getToken();
    clock += 2 * 3_600_000 - 600_000; // 1 h 50 min later, but used just now:
    provider.markUsed(first);
    clock += 2 * 3_600_000 - 600_000;
    expect(provider.status()).toMatchObject({ state: 'valid', secondsLeft: 600 });
    expect((await provider.getToken()).accessToken).toBe('token-1');
    expect(endpoint.forms).toHaveLength(1);

    clock += 400_000; // 200 s left: inside the margin
    expect(provider.status().state).toBe('expiring');
    expect((await provider.getToken()).accessToken).toBe('token-1'); // still served while refreshing
    await waitFor(() => provider.status().state === 'valid');
    expect((await provider.getToken()).accessToken).toBe('token-2');
    expect(endpoint.forms).toHaveLength(2);
  });

  it('should replace a token only once when many requests report it invalid', async () => {
    const endpoint = await startTokenEndpoint((_form, count) => ({
      status: 200,
      body: tokenBody(`token-${count}`, 'http://i'),
    }));
    const { provider, transport } = providerFor(endpoint.url, {});
    cleanups.push(endpoint.close, () => transport.close());
    const stale = await provider.getToken();

    const fresh = await Promise.all(
      Array.from({ length: 50 }, async () => {
        provider.invalidate(stale);
        return provider.getToken();
      }),
    );

    expect(endpoint.forms).toHaveLength(2);
    expect(new Set(fresh.map((token) => token.accessToken))).toEqual(new Set(['token-2']));
    expect(provider.status().state).toBe('valid');
  });
});
