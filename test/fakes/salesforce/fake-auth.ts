import { createHmac, randomBytes } from 'node:crypto';
import { importSPKI, importX509, jwtVerify, KeyLike } from 'jose';

/**
 * The OAuth token endpoint (reference §1): client credentials, JWT bearer (RS256 assertion really verified) and
 * refresh token with optional rotation. Access tokens lapse after the session timeout counted from last use
 * (§1.4); the response has no `expires_in`.
 */

export type GrantFlow = 'client_credentials' | 'jwt_bearer' | 'refresh_token';

export interface FakeClientConfig {
  clientId: string;
  clientSecret?: string;
  /** Flows this client may use; all three when omitted. */
  flows?: GrantFlow[];
  jwt?: {
    /** SPKI public key (`BEGIN PUBLIC KEY`) or X.509 certificate (`BEGIN CERTIFICATE`) PEM. */
    publicKeyPem: string;
    username: string;
    /** Accepted `aud` values; default login.salesforce.com, test.salesforce.com and the fake's own origin. */
    audience?: string | string[];
  };
  refreshTokens?: string[];
  /** Refresh Token Rotation: each refresh token works once; reusing one revokes its whole family (§1.3). */
  rotateRefreshTokens?: boolean;
}

export type GrantKind = GrantFlow | 'invalid';

export interface Session {
  clientId: string;
  flow: GrantFlow;
  lastUsedAt: number;
  family?: number;
}

export interface TokenResult {
  status: number;
  body: Record<string, string>;
  grant: GrantKind;
}

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Salesforce accepts `exp` at most about 3 minutes ahead (reference §1.2; third-party sources). */
const MAX_ASSERTION_LIFETIME_SECONDS = 180;
const ORG_ID = '00D5g00000FAKEORG';
const USER_ID = '0055g00000FAKEUSR';

interface RefreshFamily {
  clientId: string;
  current: string;
  revoked: boolean;
}

/** The token endpoint's answer when the client id is missing or its secret does not match. */
function unknownClient(error: string | undefined, grant: GrantKind): TokenResult {
  const reason = error ?? 'invalid client credentials';
  return failure(400, reason === 'client_id missing' ? 'invalid_request' : 'invalid_client', reason, grant);
}

function failure(status: number, error: string, description: string, grant: GrantKind): TokenResult {
  return { status, body: { error, error_description: description }, grant };
}

export class FakeAuth {
  private readonly clients = new Map<string, FakeClientConfig>();
  private readonly sessions = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, { family: number; used: boolean }>();
  private readonly families = new Map<number, RefreshFamily>();
  private readonly keys = new Map<string, Promise<KeyLike>>();
  private nextFamily = 1;
  credentialsRevoked = false;

  constructor(
    clients: FakeClientConfig[],
    private readonly now: () => number,
    private readonly sessionTimeoutMs: number,
  ) {
    for (const client of clients) this.clients.set(client.clientId, client);
    this.reset();
  }

  reset(): void {
    this.sessions.clear();
    this.refreshTokens.clear();
    this.families.clear();
    this.credentialsRevoked = false;
    for (const client of this.clients.values()) {
      for (const token of client.refreshTokens ?? []) {
        const family = this.nextFamily++;
        this.families.set(family, { clientId: client.clientId, current: token, revoked: false });
        this.refreshTokens.set(token, { family, used: false });
      }
    }
  }

  /** Every issued access token becomes invalid (the next data call gets 401 INVALID_SESSION_ID). */
  expireAll(): void {
    this.sessions.clear();
  }

  /** The session behind a bearer token, refreshing its inactivity timer; undefined when unknown or lapsed. */
  authenticate(authorization: string | undefined): Session | undefined {
    const match = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return undefined;
    const session = this.sessions.get(match[1]);
    if (!session) return undefined;
    const now = this.now();
    if (now - session.lastUsedAt > this.sessionTimeoutMs) {
      this.sessions.delete(match[1]);
      return undefined;
    }
    session.lastUsedAt = now;
    return session;
  }

  async token(
    form: URLSearchParams,
    authorization: string | undefined,
    origin: string,
  ): Promise<TokenResult> {
    switch (form.get('grant_type') ?? '') {
      case 'client_credentials':
        return this.clientCredentials(form, authorization, origin);
      case JWT_GRANT:
        return this.jwtBearer(form, origin);
      case 'refresh_token':
        return this.refresh(form, origin);
      default:
        return failure(400, 'unsupported_grant_type', 'grant type not supported', 'invalid');
    }
  }

  private clientFromSecret(
    form: URLSearchParams,
    authorization: string | undefined,
  ): { client?: FakeClientConfig; error?: string } {
    let clientId = form.get('client_id');
    let secret = form.get('client_secret');
    // Client credentials may come as HTTP Basic instead (reference §1.1).
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      clientId = decodeURIComponent(decoded.slice(0, colon));
      secret = decodeURIComponent(decoded.slice(colon + 1));
    }
    if (!clientId) return { error: 'client_id missing' };
    const client = this.clients.get(clientId);
    if (!client || client.clientSecret === undefined || client.clientSecret !== secret) {
      return { error: 'invalid client credentials' };
    }
    return { client };
  }

  private allows(client: FakeClientConfig, flow: GrantFlow): boolean {
    return !client.flows || client.flows.includes(flow);
  }

  private clientCredentials(
    form: URLSearchParams,
    authorization: string | undefined,
    origin: string,
  ): TokenResult {
    const grant = 'client_credentials';
    const { client, error } = this.clientFromSecret(form, authorization);
    if (!client) return unknownClient(error, grant);
    if (this.credentialsRevoked) return failure(400, 'invalid_grant', 'authentication failure', grant);
    if (!this.allows(client, grant))
      return failure(400, 'invalid_grant', 'no client credentials user enabled', grant);
    return this.issue(client, grant, origin);
  }

  private async jwtBearer(form: URLSearchParams, origin: string): Promise<TokenResult> {
    const grant = 'jwt_bearer';
    const assertion = form.get('assertion');
    if (!assertion) return failure(400, 'invalid_request', 'assertion missing', grant);
    let issuer: unknown;
    try {
      const payloadPart = assertion.split('.')[1] ?? '';
      issuer = (JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as { iss?: unknown }).iss;
    } catch {
      return failure(400, 'invalid_grant', 'invalid assertion', grant);
    }
    const client = typeof issuer === 'string' ? this.clients.get(issuer) : undefined;
    if (!client?.jwt) return failure(400, 'invalid_client', 'client identifier invalid', grant);
    if (this.credentialsRevoked) return failure(400, 'invalid_grant', 'authentication failure', grant);
    if (!this.allows(client, grant))
      return failure(400, 'invalid_grant', "user hasn't approved this consumer", grant);
    const audience = client.jwt.audience ?? [
      'https://login.salesforce.com',
      'https://test.salesforce.com',
      origin,
    ];
    const now = this.now();
    let payload: { exp?: number; sub?: string; aud?: string | string[] };
    try {
      const verified = await jwtVerify(assertion, await this.key(client), {
        algorithms: ['RS256'], // "only the RS256 algorithm is supported"
        issuer: client.clientId,
        currentDate: new Date(now),
        requiredClaims: ['exp', 'sub', 'aud'],
      });
      payload = verified.payload;
    } catch (error) {
      const code = (error as { code?: string }).code;
      const description = code === 'ERR_JWT_EXPIRED' ? 'expired assertion' : 'invalid assertion';
      return failure(400, 'invalid_grant', description, grant);
    }
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const accepted = Array.isArray(audience) ? audience : [audience];
    if (!audiences.some((a) => a !== undefined && accepted.includes(a))) {
      return failure(400, 'invalid_grant', 'audience is invalid', grant);
    }
    if ((payload.exp ?? 0) > now / 1000 + MAX_ASSERTION_LIFETIME_SECONDS + 5) {
      return failure(400, 'invalid_grant', 'invalid assertion: exp too far in the future', grant);
    }
    if (payload.sub !== client.jwt.username)
      return failure(400, 'invalid_grant', "user hasn't approved this consumer", grant);
    return this.issue(client, grant, origin);
  }

  private refresh(form: URLSearchParams, origin: string): TokenResult {
    const grant = 'refresh_token';
    const { client, error } = this.clientFromSecret(form, undefined);
    if (!client) return unknownClient(error, grant);
    if (!this.allows(client, grant))
      return failure(400, 'invalid_grant', 'refresh token flow not enabled', grant);
    const presented = form.get('refresh_token') ?? '';
    const entry = this.refreshTokens.get(presented);
    const family = entry ? this.families.get(entry.family) : undefined;
    if (
      !entry ||
      !family ||
      family.clientId !== client.clientId ||
      family.revoked ||
      this.credentialsRevoked
    ) {
      return failure(400, 'invalid_grant', 'expired access/refresh token', grant);
    }
    if (entry.used) {
      // "any attempted reuse of an invalidated refresh token results in the immediate revocation of the current
      // refresh token and all associated access tokens" (KB 005316711).
      family.revoked = true;
      for (const [token, session] of this.sessions)
        if (session.family === entry.family) this.sessions.delete(token);
      return failure(400, 'invalid_grant', 'expired access/refresh token', grant);
    }
    let rotated: string | undefined;
    if (client.rotateRefreshTokens) {
      entry.used = true;
      rotated = `5Aep861${randomBytes(24).toString('base64url')}`;
      this.refreshTokens.set(rotated, { family: entry.family, used: false });
      family.current = rotated;
    }
    return this.issue(client, grant, origin, entry.family, rotated);
  }

  private key(client: FakeClientConfig): Promise<KeyLike> {
    let key = this.keys.get(client.clientId);
    if (!key) {
      const pem = client.jwt!.publicKeyPem;
      key = pem.includes('BEGIN CERTIFICATE') ? importX509(pem, 'RS256') : importSPKI(pem, 'RS256');
      this.keys.set(client.clientId, key);
    }
    return key;
  }

  private issue(
    client: FakeClientConfig,
    flow: GrantFlow,
    origin: string,
    family?: number,
    refreshToken?: string,
  ): TokenResult {
    const accessToken = `${ORG_ID}!${randomBytes(36).toString('base64url')}`;
    const issuedAt = String(this.now());
    const id = `${origin}/id/${ORG_ID}AAA/${USER_ID}AAA`;
    this.sessions.set(accessToken, { clientId: client.clientId, flow, lastUsedAt: this.now(), family });
    const body: Record<string, string> = {
      access_token: accessToken,
      // Signature: Base64 HMAC-SHA256 of id + issued_at with the client secret (reference §1.4).
      signature: createHmac('sha256', client.clientSecret ?? client.clientId)
        .update(id + issuedAt)
        .digest('base64'),
      scope: flow === 'refresh_token' ? 'refresh_token api' : 'api',
      instance_url: origin,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
    if (refreshToken) body.refresh_token = refreshToken;
    return { status: 200, body, grant: flow };
  }
}
