import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { LoggerModule, Params } from 'nestjs-pino';
import type { Options as HttpOptions } from 'pino-http';
import type { IncomingMessage } from 'node:http';
import type { Writable } from 'node:stream';
import { appConfig, AppConfig } from '../config/app.config';
import { REDACTED_PATHS, scrubText } from './log-redaction';

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
                req: (req: IncomingMessage & { id?: unknown }) => ({
                  id: req.id,
                  method: req.method,
                  url: (req.url ?? '').split('?')[0],
                }),
                err: (err: Error & { code?: unknown }) => ({
                  type: err.name,
                  code: err.code,
                  message: scrubText(err.message),
                  stack: err.stack ? scrubText(err.stack) : undefined,
                }),
              },
              hooks: {
                logMethod(args: unknown[], method: (...a: unknown[]) => void) {
                  method.apply(
                    this,
                    args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)),
                  );
                },
              },
              autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
            };
            return { assignResponse: true, pinoHttp: stream ? [options, stream] : options };
          },
        }),
      ],
    };
  }
}
