import { createServer, Server, ServerOptions } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pathOf } from './url-path';

/** Paths for operators, not for VAPI or Twilio: on ADMIN_PORT only when one is set. */
export function isOperatorPath(path: string): boolean {
  return (
    path === '/metrics' ||
    path === '/docs' ||
    path.startsWith('/docs/') ||
    path === '/docs-json' ||
    path === '/admin' ||
    path.startsWith('/admin/')
  );
}

const isHealthPath = (path: string): boolean => path === '/health' || path.startsWith('/health/');

const operatorServers = new WeakMap<FastifyInstance, { server: Server; port: number }>();

/**
 * A second listener on `port` for the operator endpoints. It hands its requests to the same Fastify instance
 * (same routes, guards, hooks and logs), and a hook answers 404 to an operator path on the public port and to
 * anything but operator paths and health on the operator port, like a route that does not exist there. The
 * listener starts with {@link listenOperatorPort} and closes with the app.
 */
export function separateOperatorPort(fastify: FastifyInstance, port: number, options: ServerOptions): Server {
  const server = createServer(options, (request, response) => fastify.routing(request, response));
  operatorServers.set(fastify, { server, port });
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const path = pathOf(request.raw.url);
    const onOperatorPort = request.raw.socket.localPort === port;
    if (isHealthPath(path) || isOperatorPath(path) === onOperatorPort) return done();
    void reply
      .code(404)
      .send({ message: `Cannot ${request.method} ${path}`, error: 'Not Found', statusCode: 404 });
  });
  fastify.addHook('onClose', (_instance: FastifyInstance, done: () => void) => {
    if (!server.listening) return done();
    server.close(() => done());
    server.closeIdleConnections();
  });
  return server;
}

/** Starts the operator listener when ADMIN_PORT is set; resolves once it listens. */
export async function listenOperatorPort(fastify: FastifyInstance, host: string): Promise<void> {
  const operator = operatorServers.get(fastify);
  if (!operator) return;
  await new Promise<void>((resolve, reject) => {
    operator.server.once('error', reject);
    operator.server.listen({ port: operator.port, host }, () => {
      operator.server.off('error', reject);
      resolve();
    });
  });
}
