import { Socket } from 'node:net';
import { CallsRepository } from '../../src/calls/calls.repository';
import { RunningApp, startApp, TEST_ADMIN_API_KEY } from '../support/app-harness';
import { ProbeTool } from '../support/probe-tool';
import { statusUpdateMessage, toolCallsMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

/** Opens a raw connection, writes `head`, then `body` one byte every `gapMs`; resolves when the server closes it. */
function slowClient(
  url: string,
  head: string,
  body: string,
  gapMs: number,
): Promise<{ response: string; bytesSent: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let response = '';
    let bytesSent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ response, bytesSent });
    });
    socket.connect(Number(port), hostname, () => {
      socket.write(head);
      if (body.length === 0) return;
      timer = setInterval(() => {
        if (bytesSent < body.length && socket.writable) socket.write(body[bytesSent++]);
      }, gapMs);
    });
  });
}

const webhookHead = (contentLength: number) =>
  `POST /vapi/webhook HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
  `Content-Length: ${contentLength}\r\n\r\n`;

describe('the front door against hostile clients', () => {
  let running: RunningApp;
  let probe: ProbeTool;
  beforeAll(async () => {
    probe = new ProbeTool();
    running = await startApp(
      { HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_HEADERS_TIMEOUT_MS: '1000' },
      { extraProviders: [{ provide: ProbeTool, useValue: probe }] },
    );
  });
  afterAll(() => running.close());
  beforeEach(() => probe.runs.splice(0));

  describe('slow clients', () => {
    it('should close a connection that sends headers and then withholds the body', async () => {
      const { response } = await slowClient(running.url, webhookHead(100), '', 0);
      expect(response).toMatch(/^HTTP\/1\.1 408/);
    });

    it('should close a connection that trickles its body', async () => {
      const body = JSON.stringify(statusUpdateMessage({ id: 'call-trickle' }, 'in-progress')).padEnd(400);
      const { response, bytesSent } = await slowClient(running.url, webhookHead(body.length), body, 50);
      expect(response).toMatch(/^HTTP\/1\.1 408/);
      expect(bytesSent).toBeLessThan(body.length);
    });

    it('should close a connection that trickles its headers', async () => {
      const headers = `${webhookHead(2)}{}`;
      const { response, bytesSent } = await slowClient(running.url, '', headers, 50);
      expect(response).toMatch(/^HTTP\/1\.1 408/);
      expect(bytesSent).toBeLessThan(headers.length);
    });

    it('should set the configured timeouts on the server', () => {
      const server = running.app.getHttpServer();
      expect(server.requestTimeout).toBe(1000);
      expect(server.headersTimeout).toBe(1000);
      expect(server.timeout).toBe(60_000);
      expect(server.keepAliveTimeout).toBe(72_000);
    });
  });

  describe('the signature before the body', () => {
    it('should answer 401 to a large unsigned body that is not JSON, without parsing it', async () => {
      // Would be a 400 (invalid JSON) if the body were parsed before the signature check.
      const raw = Buffer.from(`{"message": {"type": "tool-calls", "x": "${'y'.repeat(4 * 1024 * 1024)}`);
      const response = await fetch(`${running.url}/vapi/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: raw,
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthorized' });
    });

    it('should still parse JSON bodies of other routes', async () => {
      const response = await fetch(`${running.url}/admin/deliveries/replay-dead`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': TEST_ADMIN_API_KEY },
        body: '{not json',
      });
      expect(response.status).toBe(400);
    });
  });

  describe('ids', () => {
    const longId = `call-${'x'.repeat(300)}`;

    it.each([
      ['call.id', toolCallsMessage({ id: longId }, [{ id: 'tc-1', name: 'probeTool', arguments: {} }])],
      [
        'toolCallId',
        toolCallsMessage({ id: 'call-ids-1' }, [
          {
            id: `tc-${'x'.repeat(300)}`,
            name: 'probeTool',
            arguments: { accountNumber: 'A', behaviour: 'succeed' },
          },
        ]),
      ],
      ['call.id of a status update', statusUpdateMessage({ id: longId }, 'in-progress')],
    ])(
      'should refuse a %s over 256 characters with 400 and keep it out of the store and the logs',
      async (_field, payload) => {
        const linesBefore = running.logs.lines.length;
        const reply = await postWebhook(running.url, payload);

        expect(reply.status).toBe(400);
        expect(reply.body).toMatchObject({
          error: 'malformed_envelope',
          message: expect.stringContaining('256'),
        });
        expect(probe.runs).toHaveLength(0);
        // Read through the store itself: the operator route refuses such a long path before it looks.
        expect(await running.app.get(CallsRepository).get(longId)).toBeUndefined();
        const written = running.logs.lines.slice(linesBefore).join('\n');
        expect(written).not.toContain('x'.repeat(200));
      },
    );
  });
});
