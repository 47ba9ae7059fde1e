import { Registry } from 'prom-client';
import { PhoneNumbers } from '../common/phone-numbers';
import { SalesforceConfig } from './salesforce.config';
import { SalesforceMetrics } from './salesforce.metrics';
import { SalesforceGateway } from './salesforce-gateway';
import { SalesforceRestClient } from './salesforce-rest.client';
import { RequestBudget } from './salesforce-request.budget';
import { createTokenGrant } from './salesforce-token.grants';
import { SalesforceTokenProvider } from './salesforce-token.provider';
import { InMemorySalesforceTokenStore, SalesforceTokenStore } from './salesforce-token.store';
import { SalesforceTransport } from './salesforce-transport';

export interface SalesforceClientOptions {
  registry: Registry;
  /** Reads caller numbers and the numbers stored in the org with the deployment's region. */
  phones: PhoneNumbers;
  /** Where rotated refresh tokens are kept; memory (one replica) when not given. */
  tokenStore?: SalesforceTokenStore;
  /** Clock of token expiry, the request budget and the time-bounded lookups; tests move it. */
  now?: () => number;
}

export interface SalesforceAssembly {
  client: SalesforceRestClient;
  /** For requests the port has, on purpose, no method for (the contract test deletes what it created). */
  gateway: SalesforceGateway;
  /** Closes the connection pool; the client cannot be used afterwards. */
  close(): Promise<void>;
}

/**
 * The one way the Salesforce adapter is built (by the module and by tests): one connection pool shared by
 * the token endpoint and the data API, one request budget, one token provider.
 */
export function createSalesforceClient(
  config: SalesforceConfig,
  options: SalesforceClientOptions,
): SalesforceAssembly {
  const transport = new SalesforceTransport({
    requestTimeoutMs: config.requestTimeoutMs,
    connections: config.maxConcurrency,
  });
  const metrics = new SalesforceMetrics(options.registry);
  const store = options.tokenStore ?? new InMemorySalesforceTokenStore(config.refreshToken);
  const grant = createTokenGrant(config, store, options.now);
  const tokens = new SalesforceTokenProvider(config, transport, grant, metrics, options.now);
  const budget = new RequestBudget(config, options.now);
  const gateway = new SalesforceGateway(transport, tokens, budget, metrics, config);
  return {
    client: new SalesforceRestClient(gateway, config, options.phones, options.now),
    gateway,
    close: () => transport.close(),
  };
}
