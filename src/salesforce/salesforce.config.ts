import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, Min, ValidateIf } from 'class-validator';
import { commaList, EnvFlag, EnvInt, EnvSecret, Environment, loadEnvironment } from '../config/config.util';
import { CASE_PRIORITIES, ISSUE_TYPES } from './salesforce.types';

export const SALESFORCE_AUTH_FLOWS = ['client_credentials', 'jwt_bearer', 'refresh_token'] as const;
export type SalesforceAuthFlow = (typeof SALESFORCE_AUTH_FLOWS)[number];

/** `key=Value` pairs of the given keys, e.g. `billing=Billing,technical=Technical`. */
function pairsPattern(keys: readonly string[]): RegExp {
  const key = `(${keys.join('|')})`;
  return new RegExp(`^\\s*${key}\\s*=[^,=]+(,\\s*${key}\\s*=[^,=]+)*\\s*$`);
}

/** The default picklist values: each key capitalised. */
function defaultPairs(keys: readonly string[]): string {
  return keys.map((key) => `${key}=${key[0].toUpperCase()}${key.slice(1)}`).join(',');
}

/** Task fields the call log writes itself: a structured field may not overwrite them. */
export const CALL_LOG_TASK_FIELDS = [
  'Subject',
  'Description',
  'TaskSubtype',
  'CallType',
  'CallObject',
  'Status',
  'ActivityDate',
  'CallDurationInSeconds',
  'CallDisposition',
  'WhoId',
  'WhatId',
  'OwnerId',
];
const FIELD_NAME = '[A-Za-z][A-Za-z0-9_]{0,39}';
const TASK_FIELD_PAIR = `\\s*${FIELD_NAME}\\s*=\\s*(?!(?:${CALL_LOG_TASK_FIELDS.join('|')})\\s*(?:,|$))${FIELD_NAME}\\s*`;
const TASK_FIELD_MAP_PATTERN = new RegExp(`^${TASK_FIELD_PAIR}(,${TASK_FIELD_PAIR})*$`, 'i');

export class SalesforceEnvironment {
  @IsIn(SALESFORCE_AUTH_FLOWS)
  SALESFORCE_AUTH_FLOW!: string;

  /** Base of the token endpoint: the org's My Domain, or the login / test host. Never hard-coded. */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  SALESFORCE_LOGIN_URL!: string;

  @IsString()
  SALESFORCE_CLIENT_ID!: string;

  @ValidateIf((env: SalesforceEnvironment) => env.SALESFORCE_AUTH_FLOW !== 'jwt_bearer')
  @EnvSecret()
  SALESFORCE_CLIENT_SECRET?: string;

  @ValidateIf((env: SalesforceEnvironment) => env.SALESFORCE_AUTH_FLOW === 'jwt_bearer')
  @IsString()
  SALESFORCE_USERNAME?: string;

  @ValidateIf(
    (env: SalesforceEnvironment) =>
      env.SALESFORCE_AUTH_FLOW === 'jwt_bearer' && !env.SALESFORCE_PRIVATE_KEY_FILE,
  )
  @IsString({ message: 'SALESFORCE_PRIVATE_KEY or SALESFORCE_PRIVATE_KEY_FILE is required for jwt_bearer' })
  SALESFORCE_PRIVATE_KEY?: string;

  @IsOptional()
  @IsString()
  SALESFORCE_PRIVATE_KEY_FILE?: string;

  /** JWT `aud`; derived from the login URL when unset (test.salesforce.com for sandboxes). */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  SALESFORCE_TOKEN_AUDIENCE?: string;

  @ValidateIf((env: SalesforceEnvironment) => env.SALESFORCE_AUTH_FLOW === 'refresh_token')
  @EnvSecret()
  SALESFORCE_REFRESH_TOKEN?: string;

  @Matches(/^\d{2,3}\.0$/, { message: 'SALESFORCE_API_VERSION must look like 62.0' })
  SALESFORCE_API_VERSION: string = '62.0';

  /** The org's session timeout: tokens are refreshed ahead of it (lifetime counts from last use). */
  @EnvInt({ min: 300 })
  SALESFORCE_SESSION_TIMEOUT_SECONDS: number = 7200;

  @EnvInt({ min: 100, max: 120_000 })
  SALESFORCE_REQUEST_TIMEOUT_MS: number = 10_000;

  /** Refresh the token this long before the session timeout would lapse it (refresh ahead, not on failure). */
  @EnvInt({ min: 0 })
  SALESFORCE_TOKEN_REFRESH_MARGIN_SECONDS: number = 300;

  /** Consecutive credential refusals after which token requests stop for a while (circuit breaker). */
  @EnvInt({ min: 1 })
  SALESFORCE_TOKEN_FAILURE_THRESHOLD: number = 3;

  /** First pause after the token circuit opens; doubles on each further refusal, up to 10 minutes. */
  @EnvInt({ min: 1 })
  SALESFORCE_TOKEN_RETRY_AFTER_MS: number = 30_000;

  /**
   * Start and ceiling of the adaptive limit on requests in flight from this replica (also the keep-alive
   * connection pool size). Salesforce does not limit concurrent requests shorter than 20 s.
   */
  @EnvInt({ min: 1 })
  SALESFORCE_MAX_CONCURRENCY: number = 200;

  /** Floor of the adaptive limit: it never backs off below this many requests in flight. */
  @EnvInt({ min: 1 })
  SALESFORCE_MIN_CONCURRENCY: number = 4;

  /**
   * The limit's cap while answers take half of SALESFORCE_REQUEST_TIMEOUT_MS or more (at most 10 s), and as soon
   * as one request has been in flight that long: Salesforce allows 25 requests per org that run 20 s or longer,
   * and other integrations of the org need some of them.
   */
  @EnvInt({ min: 1 })
  SALESFORCE_LONG_REQUEST_CONCURRENCY: number = 20;

  /** Share of the current limit that background writes (outbox, call logs) may use. */
  @Type(() => Number)
  @IsNumber()
  @Min(0.01)
  @Max(1)
  SALESFORCE_BACKGROUND_SHARE: number = 0.3;

  /** Background requests pause while the org's daily api-usage is above this fraction of its limit. */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  SALESFORCE_BACKGROUND_USAGE_CEILING: number = 0.8;

  /** How long background requests pause after REQUEST_LIMIT_EXCEEDED (doubles while it repeats, max 1 h). */
  @EnvInt({ min: 0 })
  SALESFORCE_LIMIT_BACKOFF_MS: number = 60_000;

  /** Retries after the first attempt, for reads and for writes behind an idempotency check. */
  @EnvInt({ min: 0, max: 10 })
  SALESFORCE_RETRY_ATTEMPTS: number = 2;

  /** First retry delay; later ones grow exponentially with jitter. */
  @EnvInt({ min: 0 })
  SALESFORCE_RETRY_BASE_DELAY_MS: number = 200;

  /** issueType → Case.Type picklist value, as `issue=Value` pairs. */
  @Matches(pairsPattern(ISSUE_TYPES), {
    message: `SALESFORCE_CASE_TYPE_MAP must look like ${defaultPairs(ISSUE_TYPES)}`,
  })
  SALESFORCE_CASE_TYPE_MAP: string = defaultPairs(ISSUE_TYPES);

  /** priority → Case.Priority picklist value, as `priority=Value` pairs. */
  @Matches(pairsPattern(CASE_PRIORITIES), {
    message: `SALESFORCE_CASE_PRIORITY_MAP must look like ${defaultPairs(CASE_PRIORITIES)}`,
  })
  SALESFORCE_CASE_PRIORITY_MAP: string = defaultPairs(CASE_PRIORITIES);

  /** Case.Origin picklist value of the Cases we create. */
  @IsString()
  SALESFORCE_CASE_ORIGIN: string = 'Phone';

  /** Case.Status picklist value of the Cases we create. */
  @IsString()
  SALESFORCE_CASE_STATUS: string = 'New';

  /** Case.Priority when the caller gave none (a picklist value, not a key of the map). */
  @IsString()
  SALESFORCE_CASE_PRIORITY: string = 'Medium';

  /** `false` sends `Sforce-Auto-Assign: FALSE` so the org's assignment rules do not run on our Cases. */
  @EnvFlag()
  SALESFORCE_CASE_AUTO_ASSIGN: boolean = true;

  /**
   * `true` sends `Sforce-Duplicate-Rule-Header: allowSave=true` on writes, so duplicate rules whose action is
   * "Alert" let our saves through; rules that "Block" still refuse them (DUPLICATES_DETECTED).
   */
  @EnvFlag()
  SALESFORCE_DUPLICATE_RULE_ALLOW_SAVE: boolean = false;

  /** Optional unique external-ID text field on Case holding our idempotency key (e.g. Voice_Call_Key__c). */
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9_]*__c$/, {
    message: 'SALESFORCE_CASE_EXTERNAL_ID_FIELD must be a custom field API name',
  })
  SALESFORCE_CASE_EXTERNAL_ID_FIELD?: string;

  /**
   * Salesforce Knowledge: the rich-text or text field holding an article's answer (e.g. Answer__c). Unset:
   * Knowledge is off (no searchKnowledge tool, knowledge-base requests answered with no documents).
   */
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9_]*__c$/, {
    message: 'KNOWLEDGE_ANSWER_FIELD must be a custom field API name such as Answer__c',
  })
  KNOWLEDGE_ANSWER_FIELD?: string;

  /** The article version object searched (Lightning Knowledge: Knowledge__kav). */
  @Matches(/^[A-Za-z][A-Za-z0-9_]*__kav$/, {
    message: 'KNOWLEDGE_OBJECT must be an article version object API name such as Knowledge__kav',
  })
  KNOWLEDGE_OBJECT: string = 'Knowledge__kav';

  /**
   * The article Language searched (a Salesforce locale code such as en_US, ko, es). Unset: the language of
   * ASSISTANT_LANGUAGE (en_US, ko, es).
   */
  @IsOptional()
  @Matches(/^[a-z]{2}(_[A-Z]{2})?$/, { message: 'KNOWLEDGE_LANGUAGE must look like en_US or ko' })
  KNOWLEDGE_LANGUAGE?: string;

  /**
   * Structured fields VAPI extracts from a call, written onto the call-log Task: `name=Task_Field__c` pairs,
   * e.g. `disposition=Call_Disposition__c,sentiment=Sentiment__c`. Empty: none.
   */
  @IsOptional()
  @Matches(TASK_FIELD_MAP_PATTERN, {
    message:
      'TASK_FIELD_MAP must look like disposition=Call_Disposition__c,sentiment=Sentiment__c (name=Task field API name), and may not name a field the call log already writes',
  })
  TASK_FIELD_MAP?: string;

  /** Without an external-ID field: how far back a retry looks for a Case carrying our key marker. */
  @EnvInt({ min: 1 })
  SALESFORCE_CASE_KEY_LOOKBACK_HOURS: number = 24;
}

function pairs<K extends string>(value: string, keys: readonly K[]): Record<K, string> {
  const map: Partial<Record<K, string>> = {};
  for (const item of commaList(value)) {
    const [key, ...rest] = item.split('=');
    const name = key.trim() as K;
    if (keys.includes(name)) map[name] = rest.join('=').trim();
  }
  return map as Record<K, string>;
}

/** Builds the typed Salesforce configuration from an environment (tests pass their own). */
export function buildSalesforceConfig(environment: Environment) {
  const env = loadEnvironment(SalesforceEnvironment, environment);
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
    tokenRefreshMarginSeconds: env.SALESFORCE_TOKEN_REFRESH_MARGIN_SECONDS,
    tokenFailureThreshold: env.SALESFORCE_TOKEN_FAILURE_THRESHOLD,
    tokenRetryAfterMs: env.SALESFORCE_TOKEN_RETRY_AFTER_MS,
    maxConcurrency: env.SALESFORCE_MAX_CONCURRENCY,
    minConcurrency: env.SALESFORCE_MIN_CONCURRENCY,
    longRequestConcurrency: env.SALESFORCE_LONG_REQUEST_CONCURRENCY,
    backgroundShare: env.SALESFORCE_BACKGROUND_SHARE,
    backgroundUsageCeiling: env.SALESFORCE_BACKGROUND_USAGE_CEILING,
    limitBackoffMs: env.SALESFORCE_LIMIT_BACKOFF_MS,
    retryAttempts: env.SALESFORCE_RETRY_ATTEMPTS,
    retryBaseDelayMs: env.SALESFORCE_RETRY_BASE_DELAY_MS,
    caseTypeMap: {
      ...pairs(defaultPairs(ISSUE_TYPES), ISSUE_TYPES),
      ...pairs(env.SALESFORCE_CASE_TYPE_MAP, ISSUE_TYPES),
    },
    casePriorityMap: {
      ...pairs(defaultPairs(CASE_PRIORITIES), CASE_PRIORITIES),
      ...pairs(env.SALESFORCE_CASE_PRIORITY_MAP, CASE_PRIORITIES),
    },
    caseOrigin: env.SALESFORCE_CASE_ORIGIN,
    caseStatus: env.SALESFORCE_CASE_STATUS,
    casePriority: env.SALESFORCE_CASE_PRIORITY,
    caseAutoAssign: env.SALESFORCE_CASE_AUTO_ASSIGN,
    duplicateRuleAllowSave: env.SALESFORCE_DUPLICATE_RULE_ALLOW_SAVE,
    caseExternalIdField: env.SALESFORCE_CASE_EXTERNAL_ID_FIELD,
    caseKeyLookbackHours: env.SALESFORCE_CASE_KEY_LOOKBACK_HOURS,
    taskFieldMap: Object.fromEntries(
      commaList(env.TASK_FIELD_MAP).map(
        (pair) => pair.split('=').map((part) => part.trim()) as [string, string],
      ),
    ),
    knowledge: env.KNOWLEDGE_ANSWER_FIELD
      ? {
          object: env.KNOWLEDGE_OBJECT,
          answerField: env.KNOWLEDGE_ANSWER_FIELD,
          language: env.KNOWLEDGE_LANGUAGE,
        }
      : undefined,
  };
}

export const salesforceConfig = registerAs('salesforce', () => buildSalesforceConfig(process.env));

/**
 * Whether Salesforce Knowledge is configured (KNOWLEDGE_ANSWER_FIELD set), without the rest of the Salesforce
 * configuration: `npm run provision` offers the searchKnowledge tool to a saved assistant on this alone.
 */
export function knowledgeConfiguredIn(env: NodeJS.ProcessEnv): boolean {
  return (env.KNOWLEDGE_ANSWER_FIELD ?? '').trim() !== '';
}
export type SalesforceConfig = ReturnType<typeof buildSalesforceConfig>;
