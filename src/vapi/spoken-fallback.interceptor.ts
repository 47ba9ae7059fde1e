import {
  CallHandler,
  ExecutionContext,
  Injectable,
  Logger,
  NestInterceptor,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, Observable, of, tap } from 'rxjs';
import { VapiEvent } from './vapi-events';
import { MalformedEnvelopeException } from './vapi.errors';
import { ParsedMessage, parseWebhookBody } from './vapi-message.parser';
import { VapiWebhookService } from './vapi-webhook.service';
import { WebhookMetrics } from './webhook-metrics';

/** A webhook request once the interceptor has read its body: the one parse of the request. */
export type WebhookRequest = FastifyRequest & { rawBody?: Buffer; vapiMessage?: ParsedMessage };

/**
 * The JSON of a webhook body. The body parser leaves webhook bodies as bytes, so that only a request whose
 * signature the guard has accepted is parsed at all.
 */
function readJson(request: WebhookRequest): unknown {
  if (!request.rawBody) return request.body;
  try {
    const json: unknown = JSON.parse(request.rawBody.toString('utf8'));
    // Kept for the metrics hook, which labels refused requests by their message type.
    request.body = json;
    return json;
  } catch {
    throw new MalformedEnvelopeException('body is not JSON');
  }
}

/**
 * Reads the body into a typed event once (the controller reads it from the request), and is the last
 * line of defence: whatever the handler of an answered message (tool calls, assistant and transfer requests)
 * throws, VAPI still gets a valid answer in the shape of the message type, with HTTP 200, so the caller hears a
 * sentence instead of silence. A recorded message (status update, end-of-call report…) is only acknowledged
 * once what it tells is durable: when its handler throws, nothing was stored, so it is answered 503 for VAPI
 * to retry (docs/operations.md, "Store failures") — a `200 {}` would tell VAPI to forget a report we lost.
 * Only a malformed envelope is a 400. It also records the metrics of what it answers 200; every error status
 * (401, 413, 400, the 503 above) is recorded by `WebhookMetrics`' hook.
 */
@Injectable()
export class SpokenFallbackInterceptor implements NestInterceptor {
  private readonly logger = new Logger(SpokenFallbackInterceptor.name);

  constructor(
    private readonly webhook: VapiWebhookService,
    private readonly metrics: WebhookMetrics,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<WebhookRequest>();
    const reply = http.getResponse<FastifyReply>();
    const parsed = parseWebhookBody(readJson(request));
    request.vapiMessage = parsed;
    return next.handle().pipe(
      tap(() => this.metrics.answered(parsed.label, 'ok', reply.elapsedTime)),
      catchError((error: unknown) => {
        if (error instanceof MalformedEnvelopeException) throw error;
        if (isRecorded(parsed.event)) {
          this.logger.error(
            {
              event: 'message_not_stored',
              type: parsed.label,
              callId: parsed.event.call.callId,
              code: (error as { code?: unknown }).code,
            },
            'message not stored; answered 503 for VAPI to retry',
          );
          throw new ServiceUnavailableException({
            error: 'not_stored',
            message: 'The message could not be stored; retry it',
          });
        }
        this.logger.error(
          { event: 'handler_failed', type: parsed.label, callId: parsed.event.call.callId },
          error instanceof Error ? error.message : 'handler failed',
        );
        this.metrics.answered(parsed.label, 'fallback', reply.elapsedTime);
        return of(this.webhook.fallback(parsed.event, error));
      }),
    );
  }
}

/** Messages whose only answer is the acknowledgement that what they tell is stored. */
function isRecorded(event: VapiEvent): boolean {
  switch (event.type) {
    case 'status-update':
    case 'transcript':
    case 'end-of-call-report':
    case 'hang':
    case 'transfer-update':
      return true;
    case 'assistant-request':
    case 'tool-calls':
    case 'function-call':
    case 'transfer-destination-request':
    case 'knowledge-base-request':
    case 'acknowledged':
      return false;
  }
}
