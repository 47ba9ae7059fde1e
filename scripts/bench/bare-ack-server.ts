/**
 * A floor for the webhook benchmark: a bare `node:http` server doing the same work as our webhook for a
 * `status-update` (read the body, check the signature, parse the JSON, answer `{}`), and nothing else.
 */
import { createServer } from 'node:http';
import { validVapiSignature } from './floor-signature';

const secret = process.env.VAPI_WEBHOOK_SECRET ?? '';
const port = Number(process.env.PORT ?? 0);

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    if (!validVapiSignature(secret, request.headers, body)) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    const parsed = JSON.parse(body.toString('utf8')) as { message?: { type?: string } };
    response.writeHead(200, { 'content-type': 'application/json' }).end(parsed.message?.type ? '{}' : '{}');
  });
});

// The service's accept queue (src/main.ts): a burst of connections must not overflow the floor's either.
server.listen({ port, host: '127.0.0.1', backlog: 4096 });
process.on('SIGTERM', () => server.close(() => process.exit(0)));
