import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { DiscoveryModule } from '@nestjs/core';
import { AdminApiKeyGuard } from '../common/admin-api-key.guard';
import { appConfig } from '../config/app.config';
import { Clock, SystemClock } from './clock';
import { DeliveryHandlerRegistry } from './delivery-handler.registry';
import { deliveryConfig } from './delivery.config';
import { DeliveryController } from './delivery.controller';
import { DeliveryExecutor } from './delivery.executor';
import { DeliveryHealthIndicator } from './delivery.health';
import { DeliveryMetrics } from './delivery.metrics';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryService } from './delivery.service';
import { DeliveryWorker } from './delivery.worker';

/**
 * The transactional outbox: a generic mechanism that commits writes, runs them through the `@OutboxHandler()`
 * providers of the modules that own them (discovered at start-up), retries and dead-letters them. Needs the
 * global StoreModule and MetricsModule, and `ThrottlerModule.forRoot` for the operator endpoints.
 */
@Module({})
export class DeliveryModule {
  static forRoot(): DynamicModule {
    return {
      module: DeliveryModule,
      imports: [ConfigModule.forFeature(deliveryConfig), ConfigModule.forFeature(appConfig), DiscoveryModule],
      controllers: [DeliveryController],
      providers: [
        { provide: Clock, useClass: SystemClock },
        AdminApiKeyGuard,
        DeliveryHandlerRegistry,
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
