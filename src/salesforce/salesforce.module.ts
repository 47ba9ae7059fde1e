import {
  DynamicModule,
  Inject,
  InjectionToken,
  Module,
  ModuleMetadata,
  OnModuleDestroy,
  Provider,
} from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Registry } from 'prom-client';
import { PhoneNumbers } from '../common/phone-numbers';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';
import { SalesforceClient } from './salesforce.client';
import { SalesforceConfig, salesforceConfig } from './salesforce.config';
import { createSalesforceClient, SalesforceAssembly } from './salesforce-client.factory';
import { InMemorySalesforceTokenStore, SalesforceTokenStore } from './salesforce-token.store';

// Private to this module, which closes the assembly's connection pool; other modules see only the port.
const SALESFORCE_ASSEMBLY = Symbol('SALESFORCE_ASSEMBLY');

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
      provide: SALESFORCE_ASSEMBLY,
      inject: [salesforceConfig.KEY, METRICS_REGISTRY, SalesforceTokenStore, PhoneNumbers],
      useFactory: (
        config: SalesforceConfig,
        registry: Registry,
        tokenStore: SalesforceTokenStore,
        phones: PhoneNumbers,
      ) => createSalesforceClient(config, { registry, tokenStore, phones }),
    },
    {
      provide: SalesforceClient,
      inject: [SALESFORCE_ASSEMBLY],
      useFactory: (assembly: SalesforceAssembly) => assembly.client,
    },
  ];
}

/**
 * Salesforce behind the `SalesforceClient` port. Needs the global metrics registry (MetricsModule) and
 * `PhoneNumbers` (PhoneNumbersModule). The
 * token store defaults to memory (one replica); `register({ imports, tokenStore })` plugs in a shared one.
 */
@Module({
  imports: [ConfigModule.forFeature(salesforceConfig)],
  providers: providers(),
  exports: [SalesforceClient, SalesforceTokenStore],
})
export class SalesforceModule implements OnModuleDestroy {
  constructor(@Inject(SALESFORCE_ASSEMBLY) private readonly assembly: SalesforceAssembly) {}

  async onModuleDestroy(): Promise<void> {
    await this.assembly.close();
  }

  static register(options: SalesforceModuleOptions = {}): DynamicModule {
    return {
      module: SalesforceModule,
      imports: [ConfigModule.forFeature(salesforceConfig), ...(options.imports ?? [])],
      providers: providers(options.tokenStore),
      exports: [SalesforceClient, SalesforceTokenStore],
    };
  }
}
