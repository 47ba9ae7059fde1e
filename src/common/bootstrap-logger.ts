import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import type { Writable } from 'node:stream';
import { REDACTED_PATHS, scrubText } from './log-redaction';

/**
 * The logger of the first moments: configuration checks, module creation and the failure of either. Nest
 * would otherwise print those lines as coloured text, which log collectors cannot parse; this writes the same
 * JSON lines as the app's own logger (pino, same redaction), synchronously, so a line written just before
 * `process.exit` is not lost. Once the app is up, `configureApp` hands over to the nestjs-pino logger.
 */
export function createBootstrapLogger(stream?: Writable): Logger {
  return pino(
    {
      level: 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as never);
        },
      },
      serializers: {
        err: (err: Error & { code?: unknown }) => ({
          type: err.name,
          code: err.code,
          message: scrubText(err.message),
          stack: err.stack ? scrubText(err.stack) : undefined,
        }),
      },
    },
    stream ?? pino.destination({ fd: 1, sync: true }),
  );
}

/** Nest's logger interface over a pino logger: Nest's context argument becomes the `context` field. */
export class BootstrapLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log = (message: unknown, ...rest: unknown[]): void => this.write('info', message, rest);
  error = (message: unknown, ...rest: unknown[]): void => this.write('error', message, rest);
  warn = (message: unknown, ...rest: unknown[]): void => this.write('warn', message, rest);
  debug = (message: unknown, ...rest: unknown[]): void => this.write('debug', message, rest);
  verbose = (message: unknown, ...rest: unknown[]): void => this.write('trace', message, rest);
  fatal = (message: unknown, ...rest: unknown[]): void => this.write('fatal', message, rest);

  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    // Nest passes (message, context) or, for errors, (message, stack, context).
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, ...message });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
