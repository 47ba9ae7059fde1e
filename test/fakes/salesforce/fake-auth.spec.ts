import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { startSalesforceFake, SalesforceFake, SalesforceFakeOptions } from './salesforce-fake';
import { API, requestToken } from './spec-helpers';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const appKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const T0 = Date.parse('2026-11-24T10:00:00Z');

const client = {
  clientId: 'app-1',
  clientSecret: 'secret-1',
  jwt: {
    publicKeyPem: appKey.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    username: 'integration@example.com',
    audience: 'https://test.salesforce.com',
  },
  refreshTokens: ['refresh-1'],
};

let fake: SalesforceFake;
let clock: number;

async function start(overrides: Partial<SalesforceFakeOptions> = {}): Promise<SalesforceFake> {
  clock = T0;
  fake = await startSalesforceFake({ clients: [client], clock: () => clock, ...overrides });
  return fake;
}

afterEach(async () => {
  await fake.close();
});

function assertion(
  claims: { iss?: string; sub?: string; aud?: string; expIn?: number } = {},
  key: KeyObject = appKey.privateKey,
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(claims.iss ?? 'app-1')
    .setSubject(claims.sub ?? 'integration@example.com')
    .setAudience(claims.aud ?? 'https://test.salesforce.com')
    .setExpirationTime(Math.floor(clock / 1000) + (claims.expIn ?? 120))
    .sign(key);
}

function useToken(token: string) {
  return fetch(`${fake.url}${API}/limits`, { headers: { Authorization: `Bearer ${token}` } });
}

describe('client credentials', () => {
  it('should issue a token shaped like Salesforce (instance_url = the fake, issued_at in ms, no expires_in)', async () => {
    await start();
    const { status, body } = await requestToken(fake, {
      grant_type: 'client_credentials',
      client_id: 'app-1',
      client_secret: 'secret-1',
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      access_token: expect.stringMatching(/^00D\w+!/),
      signature: expect.any(String),
      scope: 'api',
      instance_url: fake.url,
      id: expect.stringContaining(`${fake.url}/id/`),
      token_type: 'Bearer',
      issued_at: String(T0),
    });
    expect((await useToken(body.access_token)).status).toBe(200);
  });

  it('should accept the client id and secret as HTTP Basic credentials', async () => {
    await start();
    const basic = Buffer.from('app-1:secret-1').toString('base64');
    const { status } = await requestToken(
      fake,
      { grant_type: 'client_credentials' },
      { Authorization: `Basic ${basic}` },
    );
    expect(status).toBe(200);
  });

  it('should refuse a wrong secret with invalid_client', async () => {
    await start();
    const { status, body } = await requestToken(fake, {
      grant_type: 'client_credentials',
      client_id: 'app-1',
      client_secret: 'wrong',
    });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_client');
  });

  it('should refuse the flow when the app does not allow it', async () => {
    await start({ clients: [{ ...client, flows: ['jwt_bearer'] }] });
    const { status, body } = await requestToken(fake, {
      grant_type: 'client_credentials',
      client_id: 'app-1',
      client_secret: 'secret-1',
    });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });

  it('should answer an unknown grant type with unsupported_grant_type', async () => {
    await start();
    const { status, body } = await requestToken(fake, { grant_type: 'password', client_id: 'app-1' });
    expect(status).toBe(400);
    expect(body.error).toBe('unsupported_grant_type');
  });
});

describe('JWT bearer', () => {
  it('should issue a token for an assertion signed with the registered key', async () => {
    await start();
    const { status, body } = await requestToken(fake, {
      grant_type: JWT_GRANT,
      assertion: await assertion(),
    });
    expect(status).toBe(200);
    expect(body.refresh_token).toBeUndefined();
    expect((await useToken(body.access_token)).status).toBe(200);
  });

  it.each([
    ['signed with another key', () => assertion({}, strangerKey.privateKey), 'invalid assertion'],
    ['for another audience', () => assertion({ aud: 'https://login.salesforce.com' }), 'audience is invalid'],
    ['already expired', () => assertion({ expIn: -10 }), 'expired assertion'],
    [
      'for another user',
      () => assertion({ sub: 'someone@example.com' }),
      "user hasn't approved this consumer",
    ],
  ])('should refuse an assertion %s with invalid_grant', async (_name, make, description) => {
    await start();
    const { status, body } = await requestToken(fake, { grant_type: JWT_GRANT, assertion: await make() });
    expect(status).toBe(400);
    expect(body).toEqual({ error: 'invalid_grant', error_description: description });
  });

  it('should refuse an assertion that is not RS256', async () => {
    await start();
    const hs256 = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('app-1')
      .setSubject('integration@example.com')
      .setAudience('https://test.salesforce.com')
      .setExpirationTime(Math.floor(clock / 1000) + 60)
      .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough-32b'));
    const { status, body } = await requestToken(fake, { grant_type: JWT_GRANT, assertion: hs256 });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });
});

describe('refresh token', () => {
  it('should let a refresh token be reused when rotation is off', async () => {
    await start();
    const form = {
      grant_type: 'refresh_token',
      client_id: 'app-1',
      client_secret: 'secret-1',
      refresh_token: 'refresh-1',
    };
    expect((await requestToken(fake, form)).status).toBe(200);
    const second = await requestToken(fake, form);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).toBeUndefined();
  });

  it('should revoke the whole token family when a rotated refresh token is reused', async () => {
    await start({ clients: [{ ...client, rotateRefreshTokens: true }] });
    const form = { grant_type: 'refresh_token', client_id: 'app-1', client_secret: 'secret-1' };
    const first = await requestToken(fake, { ...form, refresh_token: 'refresh-1' });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toEqual(expect.any(String));
    expect(first.body.refresh_token).not.toBe('refresh-1');

    const reuse = await requestToken(fake, { ...form, refresh_token: 'refresh-1' });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');
    expect((await useToken(first.body.access_token)).status).toBe(401);
    expect((await requestToken(fake, { ...form, refresh_token: first.body.refresh_token })).status).toBe(400);
  });

  it('should refuse an unknown refresh token', async () => {
    await start();
    const { status, body } = await requestToken(fake, {
      grant_type: 'refresh_token',
      client_id: 'app-1',
      client_secret: 'secret-1',
      refresh_token: 'made-up',
    });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });
});

describe('sessions', () => {
  async function token(): Promise<string> {
    const { body } = await requestToken(fake, {
      grant_type: 'client_credentials',
      client_id: 'app-1',
      client_secret: 'secret-1',
    });
    return body.access_token as string;
  }

  it('should keep a token alive while it is used and lapse it after the session timeout of inactivity', async () => {
    await start({ sessionTimeoutSeconds: 600 });
    const accessToken = await token();
    clock += 590_000;
    expect((await useToken(accessToken)).status).toBe(200);
    clock += 590_000;
    expect((await useToken(accessToken)).status).toBe(200);
    clock += 601_000;
    const expired = await useToken(accessToken);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
  });

  it('should answer 401 INVALID_SESSION_ID for every token after expireTokens()', async () => {
    await start();
    const accessToken = await token();
    fake.faults.expireTokens();
    const response = await useToken(accessToken);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errorCode: string }[])[0].errorCode).toBe('INVALID_SESSION_ID');
    expect((await useToken(await token())).status).toBe(200);
  });

  it('should refuse every grant after revokeCredentials() until the faults are cleared', async () => {
    await start();
    const accessToken = await token();
    fake.faults.revokeCredentials();
    expect((await useToken(accessToken)).status).toBe(401);
    const refused = await requestToken(fake, {
      grant_type: 'client_credentials',
      client_id: 'app-1',
      client_secret: 'secret-1',
    });
    expect(refused.body.error).toBe('invalid_grant');
    fake.faults.clear();
    expect((await useToken(await token())).status).toBe(200);
  });

  it('should not count token requests as API usage', async () => {
    await start();
    await token();
    await token();
    expect(fake.stats.tokenRequests.client_credentials).toBe(2);
    expect(fake.stats.apiUsage.used).toBe(0);
  });

  it('should answer a request without a token with 401 INVALID_SESSION_ID', async () => {
    await start();
    const response = await fetch(`${fake.url}${API}/limits`);
    expect(response.status).toBe(401);
    expect(response.headers.get('sforce-limit-info')).toBe('api-usage=0/100000');
  });
});
