import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Provider } from '@nestjs/common';
import { createApp, listenApp } from '../../src/configure-app';

export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
export const TEST_ADMIN_API_KEY = 'test-admin-api-key-0123456789';
/** The VAPI credential the transient assistant carries (start-up requires one in hmac mode). */
export const TEST_SERVER_CREDENTIAL_ID = '2f0c6b1e-test-0000-4000-8000-credential01';

/** Collects everything the app logs, so tests can assert on what would have been written. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface RunningApp {
  app: NestFastifyApplication;
  url: string;
  logs: LogCapture;
  /** Signs and posts a webhook body with the test secret in the given mode (default hmac). */
  close(): Promise<void>;
}

export function baseEnvironment(dataDir: string): Record<string, string> {
  return {
    PUBLIC_URL: 'https://voice-crm.test',
    LOG_LEVEL: 'info',
    SHUTDOWN_DRAIN_DELAY_MS: '0',
    // Tests count vendor requests; the start-up checks have a test of their own.
    STARTUP_CHECKS: 'false',
    VAPI_AUTH_MODE: 'hmac',
    VAPI_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    VAPI_SERVER_CREDENTIAL_ID: TEST_SERVER_CREDENTIAL_ID,
    ADMIN_API_KEY: TEST_ADMIN_API_KEY,
    SALESFORCE_AUTH_FLOW: 'client_credentials',
    // Nothing listens on the discard port: tests that need Salesforce start the fake and override this.
    SALESFORCE_LOGIN_URL: 'http://127.0.0.1:9',
    SALESFORCE_CLIENT_ID: 'test-client-id',
    SALESFORCE_CLIENT_SECRET: 'test-client-secret-value',
    SALESFORCE_REQUEST_TIMEOUT_MS: '1000',
    DATABASE_URL: `sqlite:${join(dataDir, 'voice-crm.db')}`,
  };
}

/** Boots the real app (same `createApp`/`configureApp` as production) on a random loopback port. */
export async function startApp(
  env: Record<string, string | undefined> = {},
  options: { extraProviders?: Provider[] } = {},
): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'voice-crm-test-'));
  const saved = process.env;
  process.env = { ...saved, ...baseEnvironment(dataDir), ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete process.env[key];
  const logs = new LogCapture();
  try {
    const app = await createApp({ logStream: logs, extraProviders: options.extraProviders });
    await listenApp(app, { port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return {
      app,
      url: `http://127.0.0.1:${port}`,
      logs,
      close: async () => {
        await app.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } finally {
    process.env = saved;
  }
}
