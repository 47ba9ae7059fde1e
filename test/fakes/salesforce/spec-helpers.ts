import { DEFAULT_FAKE_CLIENT, SalesforceFake } from './salesforce-fake';

/** Small fetch helpers for the fake's own specs. */

export const API = '/services/data/v62.0';

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
  headers: Headers;
}

async function reply(response: Response): Promise<Reply> {
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as unknown) : undefined,
    headers: response.headers,
  };
}

export async function requestToken(
  fake: SalesforceFake,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const response = await fetch(`${fake.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return reply(response);
}

export async function clientCredentialsToken(fake: SalesforceFake): Promise<string> {
  const token = await requestToken(fake, {
    grant_type: 'client_credentials',
    client_id: DEFAULT_FAKE_CLIENT.clientId,
    client_secret: DEFAULT_FAKE_CLIENT.clientSecret!,
  });
  return (token.body as { access_token: string }).access_token;
}

export interface ApiClient {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  query(soql: string): Promise<Reply>;
  search(sosl: string): Promise<Reply>;
}

/** Calls the data API with a fresh client-credentials token. */
export async function apiClient(fake: SalesforceFake): Promise<ApiClient> {
  const token = await clientCredentialsToken(fake);
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    reply(
      await fetch(`${fake.url}${API}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  return {
    call,
    query: (soql) => call('GET', `/query?q=${encodeURIComponent(soql)}`),
    search: (sosl) => call('GET', `/search?q=${encodeURIComponent(sosl)}`),
  };
}
