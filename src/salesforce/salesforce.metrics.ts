import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The Salesforce adapter's Prometheus metrics, registered once per registry (one registry per app). */
export class SalesforceMetrics {
  readonly apiUsage: Gauge;
  readonly apiLimit: Gauge;
  readonly requests: Counter<'operation' | 'outcome'>;
  readonly requestDuration: Histogram<'operation'>;
  readonly tokenRequests: Counter<'flow' | 'outcome'>;
  readonly concurrencyLimit: Gauge;

  constructor(registry: Registry) {
    this.apiUsage =
      existing(registry, 'salesforce_api_usage') ??
      new Gauge({
        name: 'salesforce_api_usage',
        help: 'API requests used in the rolling 24 h, from the last Sforce-Limit-Info header',
        registers: [registry],
      });
    this.apiLimit =
      existing(registry, 'salesforce_api_limit') ??
      new Gauge({
        name: 'salesforce_api_limit',
        help: 'Daily API request allocation of the org, from the last Sforce-Limit-Info header',
        registers: [registry],
      });
    this.requests =
      existing(registry, 'salesforce_requests_total') ??
      new Counter({
        name: 'salesforce_requests_total',
        help: 'Salesforce data API requests (each counts against the daily limit) by operation and outcome',
        labelNames: ['operation', 'outcome'],
        registers: [registry],
      });
    this.requestDuration =
      existing(registry, 'salesforce_request_duration_seconds') ??
      new Histogram({
        name: 'salesforce_request_duration_seconds',
        help: 'Duration of Salesforce data API requests',
        labelNames: ['operation'],
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
        registers: [registry],
      });
    this.tokenRequests =
      existing(registry, 'salesforce_token_requests_total') ??
      new Counter({
        name: 'salesforce_token_requests_total',
        help: 'OAuth token requests by flow and outcome',
        labelNames: ['flow', 'outcome'],
        registers: [registry],
      });
    this.concurrencyLimit =
      existing(registry, 'salesforce_concurrency_limit') ??
      new Gauge({
        name: 'salesforce_concurrency_limit',
        help: 'Requests this replica may have in flight to Salesforce now (the adaptive limit)',
        registers: [registry],
      });
  }
}

// Several clients may share an app's registry (tests, a second org): reuse what is already registered.
function existing<T>(registry: Registry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}
