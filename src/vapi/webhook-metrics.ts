import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Histogram, Registry } from 'prom-client';
import { InjectMetricsRegistry } from '../metrics/metrics.tokens';
import { messageTypeLabel } from './vapi-message.parser';

export const WEBHOOK_PATHS = new Set(['/vapi/webhook', '/webhook/vapi']);

export type WebhookOutcome =
  'ok' | 'fallback' | 'not_stored' | 'malformed' | 'rejected' | 'too_large' | 'error';

/**
 * Webhook requests and latency by message type and outcome. Answered requests are recorded by the
 * spoken-fallback interceptor, which knows the outcome; requests refused before a handler ran (signature 401,
 * body-limit 413, malformed 400) and any 5xx are recorded from Fastify's onResponse hook.
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
      if (reply.statusCode >= 400 && WEBHOOK_PATHS.has(request.url.split('?')[0])) {
        // A 503 is the interceptor's own `not_stored` answer, counted where it is given.
        if (reply.statusCode === 503) return done();
        const outcome: WebhookOutcome =
          reply.statusCode >= 500
            ? 'error'
            : reply.statusCode === 401
              ? 'rejected'
              : reply.statusCode === 413
                ? 'too_large'
                : 'malformed';
        // A refused signature means the body was never parsed (see configure-app.ts): its type is unknown.
        const type = outcome === 'rejected' ? 'unverified' : messageTypeLabel(request.body);
        this.observe(type, outcome, reply.elapsedTime);
      }
      done();
    });
  }

  answered(type: string, outcome: 'ok' | 'fallback' | 'not_stored', elapsedMs: number): void {
    this.observe(type, outcome, elapsedMs);
  }

  private observe(type: string, outcome: WebhookOutcome, elapsedMs: number): void {
    const labels = { type, outcome };
    this.requests.inc(labels);
    this.latency.observe(labels, elapsedMs / 1000);
  }
}
