import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AdminApiKeyGuard } from '../common/admin-api-key.guard';
import { appConfig } from '../config/app.config';
import { Clock, SystemClock } from './clock';
import { deliveryConfig } from './delivery.config';
import { DeliveryController } from './delivery.controller';
import { DeliveryExecutor } from './delivery.executor';
import { DeliveryHealthIndicator } from './delivery.health';
import { DeliveryMetrics } from './delivery.metrics';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryService } from './delivery.service';
import { DeliveryWorker } from './delivery.worker';

export interface DeliveryModuleOptions {
  /** Modules that export the `SalesforceClient` and `SmsSender` ports (the outbox only sees the ports). */
  integrations: NonNullable<ModuleMetadata['imports']>;
}

/**
 * The transactional outbox. Needs the global StoreModule and MetricsModule, `ThrottlerModule.forRoot` for
 * the operator endpoints, and the modules passed in `integrations`.
 */
@Module({})
export class DeliveryModule {
  static forRoot(options: DeliveryModuleOptions): DynamicModule {
    return {
      module: DeliveryModule,
      imports: [
        ConfigModule.forFeature(deliveryConfig),
        ConfigModule.forFeature(appConfig),
        ...options.integrations,
      ],
      controllers: [DeliveryController],
      providers: [
        { provide: Clock, useClass: SystemClock },
        AdminApiKeyGuard,
        DeliveryRepository,
        DeliveryMetrics,
        DeliveryExecutor,
        DeliveryService,
        DeliveryWorker,
        DeliveryHealthIndicator,
      ],
      exports: [DeliveryService, DeliveryHealthIndicator, DeliveryWorker, Clock],
    };
  }
}
