import { CallWorld, eventually, startCallWorld } from '../support/call-harness';
import { callTool, casesOf, newCall, seedCaller } from '../support/call-driver';
import { assistantRequestMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

jest.setTimeout(30_000);

/**
 * A write queued while Salesforce was down, then over its request limit, must not sit out a backoff that grew
 * meanwhile: the outbox probes Salesforce while it waits and wakes its rows as soon as a probe goes through.
 */
describe('recovery after a cleared Salesforce fault', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld({
      TOOL_WRITE_BUDGET_MS: '300',
      CALLER_LOOKUP_BUDGET_MS: '300',
      // Backoffs far longer than the test: only the probe can bring the case in time.
      DELIVERY_BACKOFF_BASE_MS: '60000',
      DELIVERY_BACKOFF_MAX_MS: '600000',
      SALESFORCE_LIMIT_BACKOFF_MS: '600000',
      DELIVERY_PROBE_INTERVAL_MS: '200',
    });
  });
  afterAll(() => world.close());
  afterEach(() => world.salesforce.faults.clear());

  it('should create a case queued during an outage and REQUEST_LIMIT_EXCEEDED soon after Salesforce recovers', async () => {
    const caller = seedCaller(world);
    const call = newCall(caller.phone);
    // Recognised when the call began; Salesforce goes down during the call.
    await postWebhook(world.app.url, assistantRequestMessage(call));
    world.salesforce.faults.set({ outage: true });
    const spoken = await callTool(world, call, 'createSalesforceCase', {
      issueType: 'billing',
      description: 'Charged twice in November',
    });
    expect(spoken).toContain("you'll get a text with your case number");
    world.salesforce.faults.set({ outage: false, limitExceeded: true });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(casesOf(world, caller.contactId)).toHaveLength(0);

    world.salesforce.faults.clear();

    // Well inside the 30 s+ the row's own backoff and the 10-minute limit pause would take.
    const [created] = await eventually(() => {
      const cases = casesOf(world, caller.contactId);
      return cases.length > 0 ? cases : undefined;
    }, 5000);
    expect(created.Description).toContain('Charged twice in November');
    expect(world.app.logs.text).toContain('"event":"delivery_outage_ended"');
    await eventually(() => world.app.logs.text.includes('"event":"delivery_backlog_drained"'), 5000);
  });
});
