import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { finalize, Observable } from 'rxjs';
import { InjectMetricsRegistry } from '../metrics/metrics.tokens';
import { messageOf, WebhookRequestState } from './spoken-fallback.interceptor';

/** Counts webhook requests and their latency by message type and outcome. Outermost, so it sees fallbacks. */
@Injectable()
export class WebhookMetricsInterceptor implements NestInterceptor {
  private readonly requests: Counter;
  private readonly latency: Histogram;

  constructor(@InjectMetricsRegistry() registry: Registry) {
    this.requests =
      (registry.getSingleMetric('vapi_webhook_requests_total') as Counter | undefined) ??
      new Counter({
        name: 'vapi_webhook_requests_total',
        help: 'Webhook requests by message type and outcome (ok, fallback, malformed)',
        labelNames: ['type', 'outcome'],
        registers: [registry],
      });
    this.latency =
      (registry.getSingleMetric('vapi_webhook_duration_seconds') as Histogram | undefined) ??
      new Histogram({
        name: 'vapi_webhook_duration_seconds',
        help: 'Webhook handling time by message type and outcome',
        labelNames: ['type', 'outcome'],
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5, 7.5, 10, 20],
        registers: [registry],
      });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<WebhookRequestState>();
    const started = process.hrtime.bigint();
    return next.handle().pipe(
      finalize(() => {
        const rawType = messageOf(request.body)?.type;
        // Unknown types are bucketed so a sender cannot blow up the label cardinality.
        const type = typeof rawType === 'string' && rawType.length <= 64 ? rawType : 'invalid';
        const labels = {
          type: KNOWN_TYPES.has(type) ? type : 'other',
          outcome: request.webhookOutcome ?? 'ok',
        };
        this.requests.inc(labels);
        this.latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      }),
    );
  }
}

const KNOWN_TYPES = new Set([
  'assistant-request',
  'tool-calls',
  'function-call',
  'transfer-destination-request',
  'status-update',
  'end-of-call-report',
  'transcript',
  'transcript[transcriptType="final"]',
  'conversation-update',
  'hang',
  'speech-update',
  'user-interrupted',
  'transfer-update',
  'model-output',
  'invalid',
]);
