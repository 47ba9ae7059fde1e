import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Histogram, Registry } from 'prom-client';
import { InjectMetricsRegistry } from '../metrics/metrics.tokens';
import { messageOf, WebhookRequestState } from './spoken-fallback.interceptor';

export const WEBHOOK_PATHS = new Set(['/vapi/webhook', '/webhook/vapi']);

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
]);

/**
 * Webhook requests and latency by message type and outcome (ok, fallback, malformed, rejected, too_large).
 * Recorded in Fastify's onResponse hook rather than a Nest interceptor: it sees guard rejections and body-limit
 * refusals too, and costs no extra async layer on the hot path.
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
      if (WEBHOOK_PATHS.has(request.url.split('?')[0])) this.observe(request, reply);
      done();
    });
  }

  private observe(request: FastifyRequest, reply: FastifyReply): void {
    const state = request as FastifyRequest & WebhookRequestState;
    const rawType = messageOf(state.body)?.type;
    // Types come from the payload: unknown ones share a label so the series count stays bounded.
    const type = typeof rawType === 'string' ? (KNOWN_TYPES.has(rawType) ? rawType : 'other') : 'invalid';
    const outcome =
      reply.statusCode === 401
        ? 'rejected'
        : reply.statusCode === 413
          ? 'too_large'
          : reply.statusCode >= 400
            ? 'malformed'
            : (state.webhookOutcome ?? 'ok');
    const labels = { type, outcome };
    this.requests.inc(labels);
    this.latency.observe(labels, reply.elapsedTime / 1000);
  }
}
