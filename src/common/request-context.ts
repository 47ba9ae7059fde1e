import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** What every log line written while a request is handled says about it. */
export interface RequestContext {
  /** Fastify's request id, also on the request's access line. */
  readonly reqId: string;
  /** The VAPI call id, once the webhook controller has read it from the message. */
  callId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();
const CONTEXT = Symbol('requestContext');
type WithContext = FastifyRequest & { [CONTEXT]: RequestContext | null };

/** The context of the request being handled, if any (none at start-up, in the outbox worker, in timers). */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The context a request was given, wherever its hooks run (onResponse runs outside it). */
export function requestContextOf(request: FastifyRequest): RequestContext | undefined {
  return (request as WithContext)[CONTEXT] ?? undefined;
}

/** Makes `callId` the correlation id of every later line of the current request; a no-op outside one. */
export function bindCallId(callId: string): void {
  const context = storage.getStore();
  if (context) context.callId = callId;
}

/**
 * Enters a request context for each request in Fastify's onRequest hook, rather than in a Nest middleware
 * (which costs a middleware runner per request). Everything after it runs in that context: the hooks that
 * follow synchronously, and the guard, interceptor and handler too, as Fastify's content-type parser runs the
 * end of a body in an async resource it creates for the request (tested with a body sent in two parts).
 * Register it before any other hook.
 */
export function attachRequestContext(fastify: FastifyInstance): void {
  // Declared, so that every request object is built with the slot rather than growing it per request.
  fastify.decorateRequest(CONTEXT, null);
  fastify.addHook('onRequest', (request: FastifyRequest, _reply: unknown, done: () => void) => {
    const context: RequestContext = { reqId: request.id };
    (request as WithContext)[CONTEXT] = context;
    storage.run(context, done);
  });
}
