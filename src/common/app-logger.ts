import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { redactFields, scrubText } from './log-redaction';
import { currentRequestContext, RequestContext } from './request-context';

/** Longest call id written to a log line; a longer one is cut (ids are refused above 256 characters anyway). */
export const LOGGED_CALL_ID_LENGTH = 128;

const cutCallId = (callId: unknown): unknown =>
  typeof callId === 'string' && callId.length > LOGGED_CALL_ID_LENGTH
    ? `${callId.slice(0, LOGGED_CALL_ID_LENGTH)}…`
    : callId;

/** Serialized into shapes that hold no redacted field (see redactFields). */
const SERIALIZED_FIELDS: ReadonlySet<string> = new Set(['err']);

/**
 * What every logger of the service shares, the bootstrap logger included: the redacted fields, the serializers
 * and the scrubbing of free text (log-redaction.ts).
 */
export function sharedLoggerOptions(level: string): LoggerOptions {
  return {
    level,
    formatters: { log: (fields) => redactFields(fields, SERIALIZED_FIELDS) },
    serializers: {
      // Applies to the request's call id (see mergeRequestContext) and to fields alike.
      callId: cutCallId,
      err: (err: Error & { code?: unknown }) => ({
        type: err.name,
        code: err.code,
        message: scrubText(err.message),
        stack: err.stack ? scrubText(err.stack) : undefined,
      }),
    },
    hooks: {
      logMethod(args, method) {
        // `args` is pino's own copy of the call's arguments: scrubbed in place rather than copied again.
        for (let index = 0; index < args.length; index++) {
          const arg: unknown = args[index];
          if (typeof arg === 'string') args[index] = scrubText(arg);
        }
        method.apply(this, args);
      },
    },
  };
}

/** Returned by the mixin outside a request; never mutated (mergeRequestContext only reads it). */
const NO_CONTEXT: Partial<RequestContext> = Object.freeze({});

/**
 * The fields of a line written during a request, with the request's `reqId` and `callId` first. A line that
 * gives a `callId` of its own in a request that already has one would hold the key twice, which strict JSON
 * parsers reject: the request's wins then (the key is written once either way, as pino writes an object). A
 * line that gives the request's `reqId` itself (the access line) has its ids already and is left as it is.
 */
function mergeRequestContext(fields: object, mixin: object): object {
  const { reqId, callId } = mixin as Partial<RequestContext>;
  if (reqId === undefined || (fields as Partial<RequestContext>).reqId === reqId) return fields;
  const line: Record<string, unknown> = { reqId, callId, ...fields };
  if (callId !== undefined) line.callId = callId;
  return line;
}

/**
 * The service's one logger: JSON lines to `stream` (stdout by default). No child logger per request: a mixin
 * adds the correlation ids of the current request (request-context.ts) to each line as it is written.
 *
 * Stdout is written asynchronously: a line goes out at once when no write is in progress, and lines that come
 * while one is are written together after it, so a busy service makes one write per batch instead of one per
 * line (synchronous writes took a fifth of the service's time in the ack benchmark on Node 24). pino flushes
 * what is pending when the process exits, a crash included; only kill -9 can lose the lines of the last write
 * in progress. Start-up and fatal lines go through the synchronous bootstrap logger.
 */
export function createAppLogger(level: string, stream?: DestinationStream): Logger {
  const options: LoggerOptions = {
    ...sharedLoggerOptions(level),
    mixin: () => currentRequestContext() ?? NO_CONTEXT,
    mixinMergeStrategy: mergeRequestContext,
  };
  return pino(options, stream ?? pino.destination({ dest: 1, sync: false, minLength: 0 }));
}
