import { createPrivateKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import { SalesforceAuthFlow, SalesforceConfig } from './salesforce.config';
import { SalesforceTokenStore } from './salesforce-token.store';

/** The token endpoint's success body. There is no `expires_in`: lifetime is the org's session timeout. */
export interface TokenResponse {
  access_token: string;
  instance_url: string;
  id?: string;
  token_type?: string;
  issued_at?: string;
  refresh_token?: string;
}

export type TokenExchange = (form: URLSearchParams) => Promise<TokenResponse>;

/** One OAuth flow: how to obtain a token, and what to tell the operator when the endpoint refuses it. */
export interface TokenGrant {
  readonly flow: SalesforceAuthFlow;
  obtain(exchange: TokenExchange): Promise<TokenResponse>;
  /** What to check, naming configuration variables, never their values. */
  hint(error: string | undefined, description: string | undefined): string;
  /** Values that must never appear in a message (scrubbed from anything the endpoint echoes). */
  secrets(): string[];
}

class ClientCredentialsGrant implements TokenGrant {
  readonly flow = 'client_credentials';

  constructor(
    private readonly clientId: string,
    private readonly clientSecret: string,
  ) {}

  obtain(exchange: TokenExchange): Promise<TokenResponse> {
    return exchange(
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.clientId,
        client_secret: this.clientSecret,
      }),
    );
  }

  hint(error: string | undefined, description: string | undefined): string {
    if (/not supported on this domain/i.test(description ?? '')) {
      return 'client_credentials needs the My Domain host in SALESFORCE_LOGIN_URL (https://<domain>.my.salesforce.com), not login/test.salesforce.com';
    }
    if (error === 'invalid_client') return 'check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET';
    return 'check SALESFORCE_CLIENT_ID / SALESFORCE_CLIENT_SECRET and that the app has the client credentials flow enabled with a Run As user';
  }

  secrets(): string[] {
    return [this.clientSecret];
  }
}

/** `aud` of the JWT bearer assertion: the login host family of SALESFORCE_LOGIN_URL, unless set explicitly. */
export function jwtAudience(loginUrl: string, explicit?: string): string {
  if (explicit) return explicit.replace(/\/+$/, '');
  const host = new URL(loginUrl).hostname.toLowerCase();
  const sandbox = host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com');
  return sandbox ? 'https://test.salesforce.com' : 'https://login.salesforce.com';
}

class JwtBearerGrant implements TokenGrant {
  readonly flow = 'jwt_bearer';

  constructor(
    private readonly clientId: string,
    private readonly username: string,
    private readonly audience: string,
    private readonly key: KeyObject,
    private readonly now: () => number,
  ) {}

  async obtain(exchange: TokenExchange): Promise<TokenResponse> {
    const nowSeconds = Math.floor(this.now() / 1000);
    // Salesforce accepts an `exp` at most about 3 minutes ahead; two minutes leaves room for clock skew.
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(this.clientId)
      .setSubject(this.username)
      .setAudience(this.audience)
      .setExpirationTime(nowSeconds + 120)
      .sign(this.key);
    return exchange(
      new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
    );
  }

  hint(error: string | undefined, description: string | undefined): string {
    if (/approved|consumer/i.test(description ?? '')) {
      return 'pre-authorise SALESFORCE_USERNAME for the app (admin-approved users, profile or permission set)';
    }
    if (error === 'invalid_client') return 'check SALESFORCE_CLIENT_ID (the consumer key)';
    return `check SALESFORCE_USERNAME, that the certificate uploaded to the app matches SALESFORCE_PRIVATE_KEY(_FILE), and the audience ${this.audience} (SALESFORCE_TOKEN_AUDIENCE)`;
  }

  secrets(): string[] {
    return [];
  }
}

class RefreshTokenGrant implements TokenGrant {
  readonly flow = 'refresh_token';
  private lastRefreshToken?: string;

  constructor(
    private readonly clientId: string,
    private readonly clientSecret: string | undefined,
    private readonly configuredRefreshToken: string | undefined,
    private readonly store: SalesforceTokenStore,
  ) {}

  /** Load, exchange and save inside the store's lock: a rotated refresh token must never be used twice. */
  obtain(exchange: TokenExchange): Promise<TokenResponse> {
    return this.store.withRefreshLock(async () => {
      const refreshToken = (await this.store.loadRefreshToken()) ?? this.configuredRefreshToken;
      if (!refreshToken) throw new Error('no refresh token configured or stored');
      this.lastRefreshToken = refreshToken;
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: this.clientId,
        refresh_token: refreshToken,
      });
      if (this.clientSecret) form.set('client_secret', this.clientSecret);
      const response = await exchange(form);
      if (response.refresh_token && response.refresh_token !== refreshToken) {
        await this.store.saveRefreshToken(response.refresh_token);
      }
      return response;
    });
  }

  hint(error: string | undefined): string {
    if (error === 'invalid_client') return 'check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET';
    return 'the refresh token was revoked, expired or already used: authorise the app again and set SALESFORCE_REFRESH_TOKEN';
  }

  secrets(): string[] {
    return [this.clientSecret, this.configuredRefreshToken, this.lastRefreshToken].filter(
      (value): value is string => Boolean(value),
    );
  }
}

/** PEM from configuration: literal `\n` sequences (common in env files) become line breaks. */
function loadPrivateKey(config: SalesforceConfig): KeyObject {
  const pem =
    config.privateKey ?? (config.privateKeyFile ? readFileSync(config.privateKeyFile, 'utf8') : undefined);
  if (!pem)
    throw new Error('SALESFORCE_PRIVATE_KEY or SALESFORCE_PRIVATE_KEY_FILE is required for jwt_bearer');
  try {
    // PKCS#1 and PKCS#8 both load; jose's importPKCS8 would refuse the former.
    return createPrivateKey(pem.replace(/\\n/g, '\n'));
  } catch {
    throw new Error('SALESFORCE_PRIVATE_KEY(_FILE) is not a readable PEM private key');
  }
}

export function createTokenGrant(
  config: SalesforceConfig,
  store: SalesforceTokenStore,
  now: () => number = Date.now,
): TokenGrant {
  switch (config.authFlow) {
    case 'client_credentials':
      return new ClientCredentialsGrant(config.clientId, config.clientSecret ?? '');
    case 'jwt_bearer':
      return new JwtBearerGrant(
        config.clientId,
        config.username ?? '',
        jwtAudience(config.loginUrl, config.tokenAudience),
        loadPrivateKey(config),
        now,
      );
    case 'refresh_token':
      return new RefreshTokenGrant(config.clientId, config.clientSecret, config.refreshToken, store);
  }
}
