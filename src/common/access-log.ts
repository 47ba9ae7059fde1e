import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { requestContextOf } from './request-context';
import { pathOf } from './url-path';

/** Probes and scrapes come every few seconds from the kubelet and Prometheus: not worth a line each. */
export const isQuietPath = (path: string): boolean =>
  path === '/metrics' || path === '/health' || path.startsWith('/health/');

/**
 * One access line per request, written by the app's logger itself (no child logger per request) when the
 * response is sent: method, path, status, response time in ms and the request's correlation ids. Quiet paths
 * have none. A request whose client went away before its answer has none either (Fastify's onResponse needs a
 * sent response); the lines of its handler still carry its ids.
 */
export function attachAccessLog(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const path = pathOf(request.url);
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
