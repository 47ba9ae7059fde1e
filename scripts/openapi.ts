/**
 * Writes the committed openapi.json from the code (`npm run openapi`). The document does not depend on
 * configuration values; placeholders only satisfy start-up validation. A test fails when the committed file
 * and the code drift apart.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildOpenApiDocument, createApp } from '../src/configure-app';

export const OPENAPI_PLACEHOLDER_ENV: Record<string, string> = {
  LOG_LEVEL: 'silent',
  DATABASE_URL: 'sqlite::memory:',
  VAPI_WEBHOOK_SECRET: 'placeholder-secret-for-openapi',
  VAPI_SERVER_CREDENTIAL_ID: 'placeholder',
  SALESFORCE_AUTH_FLOW: 'client_credentials',
  SALESFORCE_LOGIN_URL: 'http://127.0.0.1:9',
  SALESFORCE_CLIENT_ID: 'placeholder',
  SALESFORCE_CLIENT_SECRET: 'placeholder',
  DELIVERY_WORKER_ENABLED: 'false',
};

export function serialiseOpenApi(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

async function main(): Promise<void> {
  Object.assign(process.env, OPENAPI_PLACEHOLDER_ENV);
  const app = await createApp();
  await app.init();
  const target = resolve(__dirname, '..', '..', 'openapi.json');
  writeFileSync(target, serialiseOpenApi(buildOpenApiDocument(app)));
  await app.close();
  process.stdout.write(`wrote ${target}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
