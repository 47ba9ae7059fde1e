import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, ValidateIf } from 'class-validator';
import { loadEnvironment } from '../config/config.util';

export const SALESFORCE_AUTH_FLOWS = ['client_credentials', 'jwt_bearer', 'refresh_token'] as const;
export type SalesforceAuthFlow = (typeof SALESFORCE_AUTH_FLOWS)[number];

export class SalesforceEnvironment {
  @IsIn(SALESFORCE_AUTH_FLOWS)
  SALESFORCE_AUTH_FLOW!: string;

  /** Base of the token endpoint: the org's My Domain, or the login / test host. Never hard-coded. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  SALESFORCE_LOGIN_URL!: string;

  @IsString()
  SALESFORCE_CLIENT_ID!: string;

  @ValidateIf((env: SalesforceEnvironment) => env.SALESFORCE_AUTH_FLOW !== 'jwt_bearer')
  @IsString()
  SALESFORCE_CLIENT_SECRET?: string;

  @ValidateIf((env: SalesforceEnvironment) => env.SALESFORCE_AUTH_FLOW === 'jwt_bearer')
  @IsString()
  SALESFORCE_USERNAME?: string;

  @ValidateIf(
    (env: SalesforceEnvironment) => env.SALESFORCE_AUTH_FLOW === 'jwt_bearer' && !env.SALESFORCE_PRIVATE_KEY_FILE,
  )
  @IsString({ message: 'SALESFORCE_PRIVATE_KEY or SALESFORCE_PRIVATE_KEY_FILE is required for jwt_bearer' })
  SALESFORCE_PRIVATE_KEY?: string;

  @IsOptional()
  @IsString()
  SALESFORCE_PRIVATE_KEY_FILE?: string;

  /** JWT `aud`; derived from the login URL when unset (test.salesforce.com for sandboxes). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  SALESFORCE_TOKEN_AUDIENCE?: string;

  @ValidateIf((env: SalesforceEnvironment) => env.SALESFORCE_AUTH_FLOW === 'refresh_token')
  @IsString()
  SALESFORCE_REFRESH_TOKEN?: string;

  @Matches(/^\d{2,3}\.0$/, { message: 'SALESFORCE_API_VERSION must look like 62.0' })
  SALESFORCE_API_VERSION: string = '62.0';

  /** The org's session timeout: tokens are refreshed ahead of it (lifetime counts from last use). */
  @Type(() => Number)
  @IsInt()
  @Min(300)
  SALESFORCE_SESSION_TIMEOUT_SECONDS: number = 7200;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  SALESFORCE_REQUEST_TIMEOUT_MS: number = 10_000;
}

export const salesforceConfig = registerAs('salesforce', () => {
  const env = loadEnvironment(SalesforceEnvironment, process.env);
  return {
    authFlow: env.SALESFORCE_AUTH_FLOW as SalesforceAuthFlow,
    loginUrl: env.SALESFORCE_LOGIN_URL.replace(/\/+$/, ''),
    clientId: env.SALESFORCE_CLIENT_ID,
    clientSecret: env.SALESFORCE_CLIENT_SECRET,
    username: env.SALESFORCE_USERNAME,
    privateKey: env.SALESFORCE_PRIVATE_KEY,
    privateKeyFile: env.SALESFORCE_PRIVATE_KEY_FILE,
    tokenAudience: env.SALESFORCE_TOKEN_AUDIENCE,
    refreshToken: env.SALESFORCE_REFRESH_TOKEN,
    apiVersion: env.SALESFORCE_API_VERSION,
    sessionTimeoutSeconds: env.SALESFORCE_SESSION_TIMEOUT_SECONDS,
    requestTimeoutMs: env.SALESFORCE_REQUEST_TIMEOUT_MS,
  };
});
export type SalesforceConfig = ReturnType<typeof salesforceConfig>;
