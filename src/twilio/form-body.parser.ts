import { parse } from 'node:querystring';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Registers the `application/x-www-form-urlencoded` parser Twilio callbacks need. Nest's Fastify adapter adds
 * one by default, but only while no parser has been registered by hand: once `configureApp` calls
 * `app.useBodyParser('application/json', …)` (e.g. for VAPI's large bodies), form posts get 415 unless this
 * is called too. Repeated keys become arrays, as with Nest's default parser and as the signature check expects.
 */
export function useFormBodyParser(app: NestFastifyApplication, bodyLimit = 64 * 1024): void {
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit }, (_request, body, done) => {
    done(null, { ...parse(body.toString('utf8')) });
  });
}
