import * as kit from '../../test/support/salesforce-client-harness';

kit.useClientHarnesses();

const limitOf = (registry: kit.ClientHarness['registry']) =>
  kit.metricValue(registry, 'salesforce_concurrency_limit', {});

describe('the adaptive request limit against the Salesforce fake', () => {
  it('should start at its maximum while Salesforce answers well, back off when it fails, and grow back', async () => {
    const { fake, client, registry } = await kit.startClientHarness({
      // Small numbers on purpose: the latency the limit sees includes this process's own event loop, and a
      // burst of hundreds of requests on a loaded CI machine can stall it past the 1 s that counts as a slow
      // answer, which would (rightly) lower the limit although the fake is healthy.
      env: { SALESFORCE_MIN_CONCURRENCY: '2', SALESFORCE_MAX_CONCURRENCY: '20' },
    });
    fake.faults.set({ latencyMs: 20 });
    fake.insert('Case', { Subject: 'Known' });
    const burst = (size: number) =>
      Promise.allSettled(Array.from({ length: size }, () => client.getCaseByNumber('00001000')));

    // Starts at SALESFORCE_MAX_CONCURRENCY and stays there while Salesforce answers well.
    expect(await limitOf(registry)).toBe(20);
    for (let round = 0; round < 5; round += 1) await burst(40);
    const healthy = await limitOf(registry);
    expect(healthy).toBe(20);

    fake.faults.set({ outage: true });
    await burst(20);
    const failing = await limitOf(registry);
    expect(failing).toBeLessThanOrEqual(healthy / 2);
    expect(failing).toBeGreaterThanOrEqual(2);

    fake.faults.clear();
    fake.faults.set({ latencyMs: 20 });
    for (let round = 0; round < 5; round += 1) await burst(40);
    expect(await limitOf(registry)).toBeGreaterThan(failing);
    // About 400 requests through the fake and its outage, and the outage's retries.
  }, 20_000);

  it('should back off on REQUEST_LIMIT_EXCEEDED too', async () => {
    const { fake, client, registry } = await kit.startClientHarness();
    fake.faults.set({ latencyMs: 5 });
    await client.getCaseByNumber('00001000');
    const before = await limitOf(registry);

    fake.faults.set({ limitExceeded: true });
    await Promise.allSettled(Array.from({ length: 10 }, () => client.getCaseByNumber('00001000')));

    expect(await limitOf(registry)).toBeLessThan(before);
  });
});
