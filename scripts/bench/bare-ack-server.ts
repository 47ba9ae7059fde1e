/**
 * The floor for the webhook benchmark: a bare `node:http` server doing the same work as our webhook for a
 * `status-update` (read the body, check the HMAC over `{timestamp}.{body}` in constant time with the timestamp
 * window, parse the JSON, answer `{}`), and nothing else.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const secret = process.env.VAPI_WEBHOOK_SECRET ?? '';
const port = Number(process.env.PORT ?? 0);

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    const signature = String(request.headers['x-signature'] ?? '');
    const timestamp = String(request.headers['x-timestamp'] ?? '');
    const sentAt = Number(timestamp);
    const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
    const given = Buffer.from(signature, 'hex');
    const fresh = Math.abs(Date.now() - (sentAt >= 1e12 ? sentAt : sentAt * 1000)) <= 300_000;
    if (!fresh || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    const parsed = JSON.parse(body.toString('utf8')) as { message?: { type?: string } };
    response.writeHead(200, { 'content-type': 'application/json' }).end(parsed.message?.type ? '{}' : '{}');
  });
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
