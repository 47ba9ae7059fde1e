import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { InjectMetricsRegistry } from '../metrics/metrics.tokens';
import { Clock } from './clock';
import { DeliveryRepository } from './delivery.repository';

export type ExecutionOutcome = 'succeeded' | 'skipped' | 'retry' | 'dead';

/** Outbox depth, age and dead letters (read from the store on each scrape) and attempts by kind/outcome. */
@Injectable()
export class DeliveryMetrics {
  private readonly executions: Counter<'kind' | 'outcome'>;

  constructor(@InjectMetricsRegistry() registry: Registry, repository: DeliveryRepository, clock: Clock) {
    this.executions = new Counter({
      name: 'delivery_executions_total',
      help: 'Outbox delivery attempts by kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    });
    // One store query per scrape feeds all three gauges.
    let scrape: Promise<Awaited<ReturnType<DeliveryRepository['backlog']>>> | undefined;
    const backlog = (): Promise<Awaited<ReturnType<DeliveryRepository['backlog']>>> => {
      scrape ??= repository.backlog(clock.now()).finally(() => setImmediate(() => (scrape = undefined)));
      return scrape;
    };
    new Gauge({
      name: 'delivery_backlog',
      help: 'Outbox rows waiting to be delivered',
      registers: [registry],
      async collect() {
        this.set((await backlog()).pending);
      },
    });
    new Gauge({
      name: 'delivery_oldest_pending_age_seconds',
      help: 'Age of the oldest undelivered outbox row',
      registers: [registry],
      async collect() {
        this.set((await backlog()).oldestPendingAgeSeconds);
      },
    });
    new Gauge({
      name: 'delivery_dead_letters',
      help: 'Outbox rows that gave up and wait for an operator',
      registers: [registry],
      async collect() {
        this.set((await backlog()).deadLetters);
      },
    });
  }

  attempted(kind: string, outcome: ExecutionOutcome, count = 1): void {
    this.executions.inc({ kind, outcome }, count);
  }
}
