import { Global, Inject, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { MetricsController } from './metrics.controller';

/** The Prometheus registry of this app instance (one per app, so tests can boot several apps in one process). */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
export const InjectMetricsRegistry = (): ParameterDecorator => Inject(METRICS_REGISTRY);

@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: METRICS_REGISTRY,
      useFactory: (): Registry => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry });
        return registry;
      },
    },
  ],
  exports: [METRICS_REGISTRY],
})
export class MetricsModule {}
