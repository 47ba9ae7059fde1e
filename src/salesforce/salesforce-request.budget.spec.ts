import * as kit from '../../test/support/salesforce-client-harness';

kit.useClientHarnesses();

const limitOf = (registry: kit.ClientHarness['registry']) =>
  kit.metricValue(registry, 'salesforce_concurrency_limit', {});

describe('the adaptive request limit against the Salesforce fake', () => {
  it('should start at its maximum while Salesforce answers well, back off when it fails, and grow back', async () => {
    const { fake, client, registry } = await kit.startClientHarness({
      env: { SALESFORCE_MIN_CONCURRENCY: '2', SALESFORCE_MAX_CONCURRENCY: '100' },
    });
    fake.faults.set({ latencyMs: 20 });
    fake.insert('Case', { Subject: 'Known' });
    const burst = (size: number) =>
      Promise.allSettled(Array.from({ length: size }, () => client.getCaseByNumber('00001000')));

    // Starts at SALESFORCE_MAX_CONCURRENCY and stays there while Salesforce answers well.
    for (let round = 0; round < 5; round += 1) await burst(200);
    const healthy = await limitOf(registry);
    expect(healthy).toBe(100);

    fake.faults.set({ outage: true });
    await burst(50);
    const failing = await limitOf(registry);
    expect(failing).toBeLessThanOrEqual(healthy / 2);
    expect(failing).toBeGreaterThanOrEqual(2);

    fake.faults.clear();
    fake.faults.set({ latencyMs: 20 });
    for (let round = 0; round < 5; round += 1) await burst(200);
    expect(await limitOf(registry)).toBeGreaterThan(failing);
    // About 2,000 requests through the fake and its outage: some 2 s alone, more on a loaded CI machine.
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
