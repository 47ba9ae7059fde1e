import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RunningApp, startApp } from './support/app-harness';
import { serialiseOpenApi } from '../scripts/openapi';

describe('OpenAPI documentation (e2e)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp();
  });
  afterAll(() => running.close());

  it('should serve the same document as the committed openapi.json (run `npm run openapi` after API changes)', async () => {
    const served = await (await fetch(`${running.url}/docs-json`)).json();
    const committed = readFileSync(resolve(__dirname, '..', 'openapi.json'), 'utf8');
    expect(serialiseOpenApi(served)).toBe(committed);
  });

  it('should document the webhook, its alias, health and metrics', async () => {
    const document = (await (await fetch(`${running.url}/docs-json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/vapi/webhook', '/webhook/vapi', '/health/live', '/health/ready', '/metrics']),
    );
  });

  it('should serve the Swagger UI at /docs', async () => {
    const response = await fetch(`${running.url}/docs`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger-ui');
  });
});
