import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, of } from 'rxjs';
import { spokenFallbackFor } from './spoken-fallback';
import { VapiCallHandler } from './vapi-call.handler';
import { MalformedEnvelopeException } from './vapi.errors';
import { isObject, readCallContext, readToolCalls, toSingleLine } from './vapi-message.parser';
import { JsonObject } from './vapi-message.types';
import type { WebhookResponse } from './vapi-webhook.service';

export interface WebhookRequestState {
  body?: unknown;
  webhookOutcome?: 'ok' | 'fallback' | 'malformed';
}

export function messageOf(body: unknown): JsonObject | undefined {
  return isObject(body) && isObject(body.message) ? body.message : undefined;
}

/**
 * The last line of defence: whatever a handler throws, VAPI still gets a valid answer in the shape of the message
 * type, with HTTP 200, so the caller hears a sentence instead of silence. Only a malformed envelope stays a 400.
 */
@Injectable()
export class SpokenFallbackInterceptor implements NestInterceptor {
  private readonly logger = new Logger(SpokenFallbackInterceptor.name);

  constructor(private readonly calls: VapiCallHandler) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<WebhookRequestState>();
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof MalformedEnvelopeException) {
          request.webhookOutcome = 'malformed';
          throw error;
        }
        const message = messageOf(request.body) ?? {};
        const type = typeof message.type === 'string' ? message.type : 'unknown';
        request.webhookOutcome = 'fallback';
        this.logger.error(
          { event: 'handler_failed', type, callId: readCallContext(message).callId },
          error instanceof Error ? error.message : 'handler failed',
        );
        return of(this.fallbackFor(type, message, spokenFallbackFor(error)));
      }),
    );
  }

  private fallbackFor(type: string, message: JsonObject, sentence: string): WebhookResponse {
    const spoken = toSingleLine(sentence);
    switch (type) {
      case 'tool-calls':
        return {
          results: readToolCalls(message).map((call) => ({
            toolCallId: call.id,
            name: call.name,
            error: spoken,
          })),
        };
      case 'function-call':
        return { result: spoken };
      case 'assistant-request':
        return this.calls.fallbackAssistant();
      case 'transfer-destination-request':
        return { error: spoken };
      default:
        return {};
    }
  }
}
