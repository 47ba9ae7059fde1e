import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { requestContextOf } from './request-context';

/** Probes and scrapes come every few seconds from the kubelet and Prometheus: not worth a line each. */
export const isQuietPath = (path: string): boolean =>
  path === '/metrics' || path === '/health' || path.startsWith('/health/');

/**
 * One access line per request, written when the response is sent: method, path (never the query string, which
 * can carry tokens), status, response time in ms and the request's correlation ids. Written by the app's
 * logger itself, without a child logger per request.
 */
export function attachAccessLog(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const query = request.url.indexOf('?');
    const path = query === -1 ? request.url : request.url.slice(0, query);
    if (!isQuietPath(path)) {
      const status = reply.statusCode;
      logger.info(
        {
          reqId: request.id,
          callId: requestContextOf(request)?.callId,
          method: request.method,
          path,
          status,
          responseTime: Math.round(reply.elapsedTime),
        },
        status >= 500 ? 'request errored' : 'request completed',
      );
    }
    done();
  });
}
