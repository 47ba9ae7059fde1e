import { RunningApp, startApp } from './support/app-harness';

describe('health (e2e)', () => {
  let running: RunningApp | undefined;
  afterEach(async () => {
    await running?.close().catch(() => undefined);
    running = undefined;
  });

  it('should answer liveness without touching Salesforce or the database', async () => {
    running = await startApp();
    const response = await fetch(`${running.url}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('should report the Salesforce token as failed without failing readiness when Salesforce does not gate it', async () => {
    running = await startApp();
    const response = await fetch(`${running.url}/health/ready`);
    const body = (await response.json()) as { info: Record<string, Record<string, unknown>> };
    expect(response.status).toBe(200);
    expect(body.info.salesforce).toMatchObject({ status: 'up', token: 'failed', degraded: true });
    expect(JSON.stringify(body)).not.toContain('test-client-secret-value');
  });

  it('should fail readiness when Salesforce is configured as a gate and cannot be reached', async () => {
    running = await startApp({ READINESS_GATES: 'store,salesforce' });
    const response = await fetch(`${running.url}/health/ready`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: Record<string, Record<string, unknown>> };
    expect(body.error.salesforce).toMatchObject({ status: 'down', token: 'failed' });
  });

  it('should turn readiness to 503 on SIGTERM and keep serving until the drain delay ends', async () => {
    running = await startApp({ SHUTDOWN_DRAIN_DELAY_MS: '1500' });
    const { app, url } = running;
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    const closing = app.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const during = await fetch(`${url}/health/ready`);
    expect(during.status).toBe(503);
    expect(await during.json()).toMatchObject({ error: { shutdown: { status: 'down', draining: true } } });
    // Liveness still answers while draining: the pod is not dead, only leaving.
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    await closing;
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });
});
