import { Inject, Injectable } from '@nestjs/common';
import { ReadinessCheck, ReadinessResult } from '../health/readiness-check';
import { deliveryConfig, DeliveryConfig } from './delivery.config';
import { DeliveryService } from './delivery.service';

/** Readiness: the outbox backlog, its oldest row and the dead letters against their thresholds. */
@Injectable()
export class DeliveryHealthIndicator implements ReadinessCheck {
  readonly key = 'delivery' as const;

  constructor(
    private readonly deliveries: DeliveryService,
    @Inject(deliveryConfig.KEY) private readonly config: DeliveryConfig,
  ) {}

  async check(): Promise<ReadinessResult> {
    const backlog = await this.deliveries.backlog();
    const limits = {
      backlogMax: this.config.backlogMax,
      oldestPendingMaxSeconds: this.config.oldestPendingMaxSeconds,
      deadLettersMax: this.config.deadLettersMax,
    };
    const problems = [
      backlog.pending > limits.backlogMax && 'backlog above limit',
      backlog.oldestPendingAgeSeconds > limits.oldestPendingMaxSeconds && 'oldest pending delivery too old',
      backlog.deadLetters > limits.deadLettersMax && 'too many dead letters',
    ].filter((problem): problem is string => typeof problem === 'string');
    return problems.length === 0
      ? { up: true, details: { ...backlog, limits } }
      : { up: false, details: { ...backlog, limits, problems } };
  }
}
