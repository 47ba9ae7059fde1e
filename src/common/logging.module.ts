import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { LoggerModule, Params } from 'nestjs-pino';
import type { Options as HttpOptions } from 'pino-http';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { Writable } from 'node:stream';
import { appConfig, AppConfig } from '../config/app.config';
import { REDACTED_PATHS, scrubText } from './log-redaction';

/** Longest call id written to a log line; a longer one is cut (ids are refused above 256 characters anyway). */
export const LOGGED_CALL_ID_LENGTH = 128;

/**
 * The path a request was made to. Under Fastify, Nest's middleware sees `req.url` relative to its mount
 * point (`/`), so the original URL is read first.
 */
function requestPath(req: IncomingMessage & { originalUrl?: string }): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0];
}

/** Probes and scrapes come every few seconds from the kubelet and Prometheus: not worth a line each. */
const isQuietPath = (path: string): boolean =>
  path === '/metrics' || path === '/health' || path.startsWith('/health/');

/** Structured JSON logs through pino; `stream` lets tests capture what would be written. */
@Module({})
export class LoggingModule {
  static register(stream?: Writable): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          imports: [ConfigModule.forFeature(appConfig)],
          inject: [appConfig.KEY],
          useFactory: (config: AppConfig): Params => {
            const options: HttpOptions = {
              level: config.logLevel,
              redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
              // Query strings can carry tokens; bodies are never logged.
              serializers: {
                req: (req: IncomingMessage & { id?: unknown; originalUrl?: string }) => ({
                  id: req.id,
                  method: req.method,
                  url: requestPath(req),
                }),
                // Applies to bindings (the request's assigned callId) and to fields alike.
                callId: (callId: unknown) =>
                  typeof callId === 'string' && callId.length > LOGGED_CALL_ID_LENGTH
                    ? `${callId.slice(0, LOGGED_CALL_ID_LENGTH)}…`
                    : callId,
                err: (err: Error & { code?: unknown }) => ({
                  type: err.name,
                  code: err.code,
                  message: scrubText(err.message),
                  stack: err.stack ? scrubText(err.stack) : undefined,
                }),
              },
              hooks: {
                logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
                  method.apply(
                    this,
                    withoutBoundCallId(this, args).map((arg) =>
                      typeof arg === 'string' ? scrubText(arg) : arg,
                    ),
                  );
                },
              },
              autoLogging: { ignore: (req: IncomingMessage) => isQuietPath(requestPath(req)) },
            };
            return { assignResponse: true, pinoHttp: stream ? [options, stream] : options };
          },
        }),
      ],
    };
  }
}

/**
 * A line logged in a request that already carries the call id (the webhook controller assigns it) would hold
 * the key twice, which strict JSON parsers reject; the field given with the line is dropped then.
 */
function withoutBoundCallId(logger: Logger, args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (typeof first !== 'object' || first === null || !Object.hasOwn(first, 'callId')) return args;
  if (!Object.hasOwn(logger.bindings(), 'callId')) return args;
  const fields = Object.entries(first).filter(([key]) => key !== 'callId');
  return [Object.fromEntries(fields), ...rest];
}
