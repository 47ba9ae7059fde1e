import { createServer } from 'node:net';
import { RunningApp, startApp, TEST_ADMIN_API_KEY } from '../support/app-harness';
import { statusUpdateMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

const RATE_LIMIT = 20;

/** A port nothing listens on right now (the operator listener needs a fixed one). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function guess(url: string, key: string, forwardedFor?: string): Promise<number> {
  const response = await fetch(`${url}/admin/deliveries`, {
    headers: { 'x-api-key': key, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
  });
  await response.arrayBuffer();
  return response.status;
}

function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe('the operator surface', () => {
  describe('without trusted proxies', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp({ OPERATOR_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) });
    });
    afterAll(() => running.close());

    it('should rate-limit wrong admin keys: 400 guesses get 429 after the limit, even the right key then', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 400; i++) {
        statuses.push(await guess(running.url, `wrong-key-${String(i).padStart(20, '0')}`));
      }

      expect(tally(statuses)).toEqual({ 401: RATE_LIMIT, 429: 400 - RATE_LIMIT });
      expect(await guess(running.url, TEST_ADMIN_API_KEY)).toBe(429);
    });
  });

  describe('X-Forwarded-For', () => {
    it('should not give a forged X-Forwarded-For a fresh bucket', async () => {
      const running = await startApp({ OPERATOR_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < RATE_LIMIT * 2; i++) {
          statuses.push(await guess(running.url, 'wrong-key-0000000000000', `203.0.113.${i + 1}`));
        }
        expect(tally(statuses)).toEqual({ 401: RATE_LIMIT, 429: RATE_LIMIT });
      } finally {
        await running.close();
      }
    });

    it('should believe X-Forwarded-For from a configured proxy', async () => {
      const running = await startApp({
        OPERATOR_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
        TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1',
      });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < RATE_LIMIT * 2; i++) {
          statuses.push(await guess(running.url, 'wrong-key-0000000000000', `203.0.113.${i + 1}`));
        }
        // Each client behind the proxy has a bucket of its own.
        expect(tally(statuses)).toEqual({ 401: RATE_LIMIT * 2 });
      } finally {
        await running.close();
      }
    });
  });

  describe('ADMIN_PORT', () => {
    let running: RunningApp;
    let adminUrl: string;
    beforeAll(async () => {
      const adminPort = await freePort();
      running = await startApp({ ADMIN_PORT: String(adminPort) });
      adminUrl = `http://127.0.0.1:${adminPort}`;
    });
    afterAll(() => running.close());

    const status = async (url: string, init?: RequestInit) => {
      const response = await fetch(url, init);
      await response.arrayBuffer();
      return response.status;
    };
    const admin = { headers: { 'x-api-key': TEST_ADMIN_API_KEY } };

    it.each(['/metrics', '/docs', '/docs-json', '/admin/deliveries'])(
      'should serve %s on the operator port only',
      async (path) => {
        expect(await status(`${adminUrl}${path}`, admin)).toBe(200);
        expect(await status(`${running.url}${path}`, admin)).toBe(404);
      },
    );

    it('should serve the webhook on the public port only', async () => {
      const message = statusUpdateMessage({ id: 'call-admin-port' }, 'in-progress');
      expect((await postWebhook(running.url, message)).status).toBe(200);
      expect((await postWebhook(adminUrl, message)).status).toBe(404);
    });

    it('should answer health on both ports', async () => {
      expect(await status(`${running.url}/health/live`)).toBe(200);
      expect(await status(`${adminUrl}/health/live`)).toBe(200);
    });
  });
});
