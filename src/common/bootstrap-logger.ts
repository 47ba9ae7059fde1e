import pino, { type Logger } from 'pino';
import type { Writable } from 'node:stream';
import { sharedLoggerOptions } from './app-logger';

/**
 * The logger of the first moments: configuration checks, module creation and the failure of either. Nest
 * would otherwise print those lines as coloured text, which log collectors cannot parse; this writes the same
 * JSON lines as the app's own logger (pino, same redaction), synchronously, so a line written just before
 * `process.exit` is not lost. Nest reaches it through a `NestJsonLogger`; once the app is up, `configureApp`
 * hands over to the app's logger (app-logger.ts).
 */
export function createBootstrapLogger(stream?: Writable): Logger {
  return pino(sharedLoggerOptions('info'), stream ?? pino.destination({ fd: 1, sync: true }));
}
