import { DynamicModule, InjectionToken, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';
import { SalesforceClient } from './salesforce.client';
import { SalesforceConfig, salesforceConfig } from './salesforce.config';
import { SalesforceMetrics } from './salesforce.metrics';
import { SalesforceTransport } from './salesforce-transport';
import { SalesforceHttpClient } from './salesforce-http.client';
import { createTokenGrant } from './salesforce-token.grants';
import { SalesforceTokenProvider } from './salesforce-token.provider';
import { InMemorySalesforceTokenStore, SalesforceTokenStore } from './salesforce-token.store';

export interface SalesforceModuleOptions {
  /** Modules that provide `tokenStore` (e.g. the store module). */
  imports?: ModuleMetadata['imports'];
  /** Provider to use as `SalesforceTokenStore` (e.g. the database-backed store for several replicas). */
  tokenStore?: InjectionToken;
}

function providers(tokenStore?: InjectionToken): Provider[] {
  return [
    tokenStore
      ? { provide: SalesforceTokenStore, useExisting: tokenStore }
      : {
          provide: SalesforceTokenStore,
          inject: [salesforceConfig.KEY],
          useFactory: (config: SalesforceConfig) => new InMemorySalesforceTokenStore(config.refreshToken),
        },
    {
      provide: SalesforceMetrics,
      inject: [METRICS_REGISTRY],
      useFactory: (registry: Registry) => new SalesforceMetrics(registry),
    },
    {
      provide: SalesforceTransport,
      inject: [salesforceConfig.KEY],
      useFactory: (config: SalesforceConfig) =>
        new SalesforceTransport({
          requestTimeoutMs: config.requestTimeoutMs,
          connections: config.maxConcurrency,
        }),
    },
    {
      provide: SalesforceTokenProvider,
      inject: [salesforceConfig.KEY, SalesforceTransport, SalesforceTokenStore, SalesforceMetrics],
      useFactory: (
        config: SalesforceConfig,
        http: SalesforceTransport,
        store: SalesforceTokenStore,
        metrics: SalesforceMetrics,
      ) => new SalesforceTokenProvider(config, http, createTokenGrant(config, store), metrics),
    },
    {
      provide: SalesforceClient,
      inject: [salesforceConfig.KEY, SalesforceTransport, SalesforceTokenProvider, SalesforceMetrics],
      useFactory: (
        config: SalesforceConfig,
        http: SalesforceTransport,
        tokens: SalesforceTokenProvider,
        metrics: SalesforceMetrics,
      ) => new SalesforceHttpClient(config, { http, tokens, metrics }),
    },
  ];
}

/**
 * Salesforce behind the `SalesforceClient` port. Needs the global metrics registry (MetricsModule). The
 * token store defaults to memory (one replica); `register({ imports, tokenStore })` plugs in a shared one.
 */
@Module({
  imports: [ConfigModule.forFeature(salesforceConfig)],
  providers: providers(),
  exports: [SalesforceClient, SalesforceTokenStore],
})
export class SalesforceModule {
  static register(options: SalesforceModuleOptions = {}): DynamicModule {
    return {
      module: SalesforceModule,
      imports: [ConfigModule.forFeature(salesforceConfig), ...(options.imports ?? [])],
      providers: providers(options.tokenStore),
      exports: [SalesforceClient, SalesforceTokenStore],
    };
  }
}
