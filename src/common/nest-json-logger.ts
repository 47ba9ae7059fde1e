import type { LoggerService } from '@nestjs/common';
import { format, types } from 'node:util';
import type { Level, Logger } from 'pino';

/** Nest's built-in exception handlers log `error(message, stack)`: the stack becomes the line's `err`. */
const isStackTrace = (level: Level, message: unknown, params: unknown[]): boolean =>
  level === 'error' &&
  typeof message === 'string' &&
  params.length === 1 &&
  typeof params[0] === 'string' &&
  /\n\s*at /.test(params[0]);

/** A message that is neither an object nor an Error: a string, or a number or the like written as one. */
const textOf = (message: unknown): string | undefined =>
  typeof message === 'string' || message === undefined ? message : format(message);

/**
 * Nest's logger interface over a pino logger, so `new Logger(Context)` in any class writes the same JSON lines.
 * Nest passes the context as the last argument: it becomes the `context` field. The calls of this code base
 * are `logger.warn({ event, … }, 'message')`, `logger.log('message')` and `logger.error(error)`: fields go
 * into the line, the message into `msg`, an Error into `err`.
 */
export class NestJsonLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const fields: Record<string, unknown> = {};
    let rest = params;
    if (params.length > 0) {
      fields.context = params[params.length - 1];
      rest = params.slice(0, -1);
    }
    // With fields, the message is the first argument after them.
    const [text, ...more] = rest;
    // isNativeError as well: an error from another realm (Node's own, seen from a Jest test) is no `instanceof`.
    if (message instanceof Error || types.isNativeError(message)) {
      fields.err = message;
      // Given as the message rather than left to pino, which would copy it unscrubbed from the error.
      this.emit(level, fields, textOf(text) ?? message.message, more);
    } else if (typeof message === 'object' && message !== null) {
      this.emit(level, Object.assign(fields, message), textOf(text), more);
    } else if (isStackTrace(level, message, rest)) {
      const err = new Error(message as string);
      err.stack = rest[0] as string;
      fields.err = err;
      this.emit(level, fields, message as string, []);
    } else {
      this.emit(level, fields, textOf(message), rest);
    }
  }

  private emit(level: Level, fields: object, message: string | undefined, rest: unknown[]): void {
    this.logger[level](fields, message, ...rest);
  }
}
