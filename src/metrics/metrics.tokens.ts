import { Inject } from '@nestjs/common';

/** The Prometheus registry of this app instance (one per app, so tests can boot several apps in one process). */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
export const InjectMetricsRegistry = (): ParameterDecorator => Inject(METRICS_REGISTRY);
