import { PhoneNumbers } from '../../src/common/phone-numbers';
import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import {
  SalesforceFake,
  SalesforceFakeOptions,
  startSalesforceFake,
} from '../fakes/salesforce/salesforce-fake';
import { buildSalesforceConfig } from '../../src/salesforce/salesforce.config';
import { SalesforceError } from '../../src/salesforce/salesforce.errors';
import { createSalesforceClient } from '../../src/salesforce/salesforce-client.factory';
import { SalesforceRestClient } from '../../src/salesforce/salesforce-rest.client';
import { InMemorySalesforceTokenStore } from '../../src/salesforce/salesforce-token.store';

/** The Salesforce adapter, built as the module builds it, against a Salesforce fake of its own. */

export const CLIENT_ID = 'voice-crm-client';
export const CLIENT_SECRET = 'fake-secret-do-not-log-42';

export interface ClientHarness {
  fake: SalesforceFake;
  client: SalesforceRestClient;
  registry: Registry;
}

const open: (() => Promise<void>)[] = [];

/**
 * Call once at the top of a spec file: closes the test's harnesses after each test, and silences the token
 * and retry logs that failure tests cause on purpose.
 */
export function useClientHarnesses(): void {
  Logger.overrideLogger(false);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((close) => close()));
  });
}

/** Short timeouts and retry delays, so failure tests finish quickly; `env` overrides any of them. */
export async function startClientHarness(
  options: {
    fake?: Partial<SalesforceFakeOptions>;
    env?: Record<string, string>;
    store?: InMemorySalesforceTokenStore;
  } = {},
): Promise<ClientHarness> {
  const fake = await startSalesforceFake({
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
    searchIndexLagMs: 0,
    ...options.fake,
  });
  const config = buildSalesforceConfig({
    SALESFORCE_AUTH_FLOW: 'client_credentials',
    SALESFORCE_LOGIN_URL: fake.url,
    SALESFORCE_CLIENT_ID: CLIENT_ID,
    SALESFORCE_CLIENT_SECRET: CLIENT_SECRET,
    SALESFORCE_REQUEST_TIMEOUT_MS: '2000',
    SALESFORCE_RETRY_ATTEMPTS: '2',
    SALESFORCE_RETRY_BASE_DELAY_MS: '5',
    SALESFORCE_TOKEN_RETRY_AFTER_MS: '60000',
    ...options.env,
  });
  const registry = new Registry();
  const salesforce = createSalesforceClient(config, {
    registry,
    tokenStore: options.store,
    phones: new PhoneNumbers('US'),
  });
  open.push(async () => {
    await salesforce.close();
    await fake.close();
  });
  return { fake, client: salesforce.client, registry };
}

export const tokenRequests = (fake: SalesforceFake): number =>
  Object.values(fake.stats.tokenRequests).reduce((sum, count) => sum + count, 0);

export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((value) =>
    Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted),
  );
  return match?.value ?? 0;
}

export async function caught(promise: Promise<unknown>): Promise<SalesforceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SalesforceError) return error;
    throw error;
  }
  throw new Error('expected a SalesforceError');
}
