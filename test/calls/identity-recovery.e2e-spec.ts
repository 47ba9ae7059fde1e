import { CallWorld, eventually, startCallWorld } from '../support/call-harness';
import { callTool, deliveriesSettled, newCall, seedCaller } from '../support/call-driver';
import { assistantRequestMessage, endOfCallReportMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

/**
 * A caller Salesforce could not identify during the call because it was down: the call log Task, built by the
 * outbox once Salesforce is back, still names them (WhoId). A caller Salesforce really does not know stays
 * without one.
 */
jest.setTimeout(60_000);

describe('the contact of a call log Task after an outage', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld({
      TOOL_WRITE_BUDGET_MS: '300',
      CALLER_LOOKUP_BUDGET_MS: '300',
      DELIVERY_PROBE_INTERVAL_MS: '200',
    });
  });
  afterAll(() => world.close());
  afterEach(() => world.salesforce.faults.clear());

  const taskOf = (callId: string) =>
    world.salesforce.records('Task').find((task) => task.CallObject === callId);

  it.each([
    ['down', { outage: true }],
    ['over its request limit', { limitExceeded: true }],
  ])(
    'should name the caller on the Task when Salesforce was %s for the whole call',
    async (_state, fault) => {
      const caller = seedCaller(world);
      const call = newCall(caller.phone);
      world.salesforce.faults.set(fault);

      const greeting = await postWebhook(world.app.url, assistantRequestMessage(call));
      expect(JSON.stringify(greeting.body)).not.toContain('Robin');
      await callTool(world, call, 'lookupCase', {});
      await postWebhook(world.app.url, endOfCallReportMessage(call, { transcript: 'User: Hello?' }));
      world.salesforce.faults.clear();

      await eventually(() => taskOf(call.id), 50_000);
      await eventually(() => deliveriesSettled(world, call.id));
      expect(taskOf(call.id)).toMatchObject({ WhoId: caller.contactId, WhatId: caller.accountId });
    },
  );

  it('should leave the Task without a contact when the caller is really unknown', async () => {
    const call = newCall('+14155550166');

    await postWebhook(world.app.url, assistantRequestMessage(call));
    await postWebhook(world.app.url, endOfCallReportMessage(call, { transcript: 'User: Hello?' }));

    await eventually(() => taskOf(call.id));
    expect(taskOf(call.id)?.WhoId ?? null).toBeNull();
  });
});
