import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Writable } from 'node:stream';
import { CallsModule } from './calls/calls.module';
import { LoggingModule } from './common/logging.module';
import { PhoneNumbersModule } from './common/phone-numbers.module';
import { appConfig, AppConfig } from './config/app.config';
import { DeliveryHealthIndicator } from './delivery/delivery.health';
import { DeliveryModule } from './delivery/delivery.module';
import { HealthModule } from './health/health.module';
import { SalesforceTokenCheck } from './health/salesforce-token.check';
import { StartupChecksService } from './health/startup-checks.service';
import { MetricsModule } from './metrics/metrics.module';
import { SalesforceModule } from './salesforce/salesforce.module';
import { DatabaseTokenStore } from './store/database-token-store';
import { StoreHealthIndicator } from './store/store.health';
import { StoreModule } from './store/store.module';
import { TwilioModule } from './twilio/twilio.module';
import { VapiApiModule } from './vapi/api/vapi-api.module';
import { VapiModule } from './vapi/vapi.module';

export interface AppModuleOptions {
  /** Where logs go (default stdout); tests pass a stream to read what would have been logged. */
  logStream?: Writable;
  /** Additional providers, e.g. `@VapiTool` probes that end-to-end tests use to observe the front door. */
  extraProviders?: Provider[];
}

/**
 * The whole service. Integration modules are built once here and the same instances are handed to every
 * module that needs their ports, so each port has exactly one adapter (and the outbox exactly one worker).
 */
@Module({})
export class AppModule {
  static register(options: AppModuleOptions = {}): DynamicModule {
    // Rotated refresh tokens live in the database, so several replicas share them under a lock.
    const salesforce = SalesforceModule.register({ tokenStore: DatabaseTokenStore });
    const delivery = DeliveryModule.forRoot();
    const calls = CallsModule.register({ imports: [salesforce, TwilioModule, delivery, VapiApiModule] });
    return {
      module: AppModule,
      imports: [
        // createApp has validated every module's variables; each namespace reads its validated instance.
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: false }),
        ConfigModule.forFeature(appConfig),
        LoggingModule.register(options.logStream),
        MetricsModule,
        PhoneNumbersModule,
        ThrottlerModule.forRootAsync({
          imports: [ConfigModule.forFeature(appConfig)],
          inject: [appConfig.KEY],
          // Only operator routes use the ThrottlerGuard: VAPI traffic comes from a few shared addresses.
          useFactory: (config: AppConfig) => [{ ttl: 60_000, limit: config.operatorRateLimitPerMinute }],
        }),
        StoreModule,
        salesforce,
        TwilioModule,
        delivery,
        VapiModule.register({ imports: [calls] }),
        HealthModule.register({
          imports: [salesforce, delivery],
          checks: [StoreHealthIndicator, SalesforceTokenCheck, DeliveryHealthIndicator],
          provide: [SalesforceTokenCheck],
        }),
      ],
      providers: [StartupChecksService, ...(options.extraProviders ?? [])],
    };
  }
}
