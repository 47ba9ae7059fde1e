import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Histogram, Registry } from 'prom-client';
import { InjectMetricsRegistry } from '../metrics/metrics.tokens';
import { messageTypeLabel } from './vapi-message.parser';
import { pathOf } from '../common/url-path';

export const WEBHOOK_PATHS = new Set(['/vapi/webhook', '/webhook/vapi']);

export type WebhookOutcome =
  'ok' | 'fallback' | 'not_stored' | 'malformed' | 'rejected' | 'too_large' | 'error';

/**
 * Webhook requests and latency by message type and outcome. Requests answered 200 are recorded by the
 * spoken-fallback interceptor, which knows whether a fallback was spoken; every error status (signature 401,
 * body-limit 413, malformed 400, a message not stored 503, any other 5xx) from Fastify's onResponse hook.
 */
@Injectable()
export class WebhookMetrics {
  private readonly requests: Counter;
  private readonly latency: Histogram;

  constructor(@InjectMetricsRegistry() registry: Registry) {
    this.requests = new Counter({
      name: 'vapi_webhook_requests_total',
      help: 'Webhook requests by message type and outcome',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'vapi_webhook_duration_seconds',
      help: 'Webhook handling time by message type and outcome',
      labelNames: ['type', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5, 7.5, 10, 20],
      registers: [registry],
    });
  }

  attach(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      if (reply.statusCode >= 400 && WEBHOOK_PATHS.has(pathOf(request.url))) {
        const outcome = outcomeOfStatus(reply.statusCode);
        // A refused signature means the body was never parsed (see configure-app.ts): its type is unknown.
        const type = outcome === 'rejected' ? 'unverified' : messageTypeLabel(request.body);
        this.observe(type, outcome, reply.elapsedTime);
      }
      done();
    });
  }

  answered(type: string, outcome: 'ok' | 'fallback', elapsedMs: number): void {
    this.observe(type, outcome, elapsedMs);
  }

  private observe(type: string, outcome: WebhookOutcome, elapsedMs: number): void {
    const labels = { type, outcome };
    this.requests.inc(labels);
    this.latency.observe(labels, elapsedMs / 1000);
  }
}

/** The outcome of a webhook answered with an error status. */
function outcomeOfStatus(status: number): WebhookOutcome {
  switch (status) {
    case 401:
      return 'rejected';
    case 413:
      return 'too_large';
    // The message was not stored: the interceptor's answer, or Fastify's while the server closes.
    case 503:
      return 'not_stored';
    default:
      return status >= 500 ? 'error' : 'malformed';
  }
}
