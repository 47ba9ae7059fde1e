import { Injectable } from '@nestjs/common';
import { Histogram, Registry } from 'prom-client';
import { InjectMetricsRegistry } from '../metrics/metrics.tokens';
import { TurnLatency } from '../vapi/vapi-events';

const COMPONENTS = [
  'model',
  'voice',
  'transcriber',
  'endpointing',
  'turn',
] as const satisfies readonly (keyof TurnLatency)[];

/**
 * Per-turn latency of finished calls, from the end-of-call report (`artifact.performanceMetrics`): how long the
 * model took to its first token, the voice to speak, the transcriber and endpointing to hear, and the whole
 * turn. Seconds, one histogram labelled by component.
 */
@Injectable()
export class CallLatencyMetrics {
  private readonly latency: Histogram<'component'>;

  constructor(@InjectMetricsRegistry() registry: Registry) {
    this.latency =
      (registry.getSingleMetric('vapi_turn_latency_seconds') as Histogram<'component'> | undefined) ??
      new Histogram({
        name: 'vapi_turn_latency_seconds',
        help: 'Per-turn latency reported by VAPI after each call, by component (model, voice, transcriber, endpointing, turn)',
        labelNames: ['component'],
        buckets: [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8],
        registers: [registry],
      });
  }

  observe(turns: TurnLatency[]): void {
    for (const turn of turns) {
      for (const component of COMPONENTS) {
        const ms = turn[component];
        if (ms !== undefined) this.latency.observe({ component }, ms / 1000);
      }
    }
  }
}
