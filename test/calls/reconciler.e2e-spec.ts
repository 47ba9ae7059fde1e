import { buildVapiCall } from '../fakes/vapi-api/vapi-api-fake';
import { CallReconcilerService } from '../../src/calls/call-reconciler.service';
import { CallWorld, eventually, startCallWorld } from '../support/call-harness';
import { deliveriesSettled, newCall } from '../support/call-driver';
import {
  assistantRequestMessage,
  endOfCallReportMessage,
  statusUpdateMessage,
} from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

const JANE = '+14155550100';
const WINDOW_MS = 1000;
/** The reconciler gives up on the VAPI API after ten windows. */
const PAST_GIVE_UP_MS = 11 * WINDOW_MS;

describe('a call whose end-of-call report never arrives', () => {
  let world: CallWorld;
  let reconciler: CallReconcilerService;
  beforeAll(async () => {
    world = await startCallWorld({
      RECONCILER_ENABLED: 'true',
      RECONCILE_AFTER_SECONDS: String(WINDOW_MS / 1000),
      RECONCILE_INTERVAL_SECONDS: '1',
    });
    reconciler = world.app.app.get(CallReconcilerService);
  });
  afterAll(() => world.close());

  const tasksOf = (callId: string) =>
    world.salesforce.records('Task').filter((task) => task.CallObject === callId);
  const askedVapiFor = (callId: string) =>
    world.vapiApi.requests.some(
      (request) => request.method === 'GET' && request.path.endsWith(`/call/${callId}`),
    );

  /** A call that began, was answered and ended (status updates only). */
  async function endedCall(number = JANE) {
    const call = newCall(number);
    await postWebhook(world.app.url, assistantRequestMessage(call));
    await postWebhook(world.app.url, statusUpdateMessage(call, 'in-progress'));
    await postWebhook(world.app.url, statusUpdateMessage(call, 'ended', 'customer-ended-call'));
    return call;
  }

  it('should log one Task from the VAPI API’s record after the reconcile window', async () => {
    const call = await endedCall();
    const fromApi = world.vapiApi.putCall(buildVapiCall({ id: call.id, customer: { number: JANE } }));
    const artifact = fromApi.artifact as { transcript: string };
    const analysis = fromApi.analysis as { summary: string };

    // The reconciler's own timer finds the call.
    const [task] = await eventually(() => (tasksOf(call.id).length > 0 ? tasksOf(call.id) : undefined));
    await eventually(() => deliveriesSettled(world, call.id));

    expect(task).toMatchObject({
      CallObject: call.id,
      TaskSubtype: 'Call',
      CallType: 'Inbound',
      Status: 'Completed',
      CallDurationInSeconds: 95,
      CallDisposition: 'customer-ended-call',
      WhoId: world.org.contacts.jane,
      WhatId: world.org.accounts.acme,
    });
    expect(String(task.Description)).toContain(analysis.summary);
    expect(String(task.Description)).toContain(artifact.transcript.trim());

    // The report turning up late changes nothing: still one Task for the call.
    await postWebhook(world.app.url, endOfCallReportMessage(call, { transcript: 'User: late report' }));
    await eventually(() => deliveriesSettled(world, call.id));
    expect(tasksOf(call.id)).toHaveLength(1);
  });

  it('should log a call the VAPI API does not know from the service’s own record after the give-up time', async () => {
    const call = await endedCall();

    await eventually(async () => {
      await reconciler.reconcileOnce(Date.now() + PAST_GIVE_UP_MS);
      return tasksOf(call.id).length > 0;
    });
    await eventually(() => deliveriesSettled(world, call.id));

    const tasks = tasksOf(call.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      CallDisposition: 'customer-ended-call',
      Status: 'Completed',
      WhoId: world.org.contacts.jane,
    });
    expect(String(tasks[0].Description)).toContain('never arrived');
  });

  it('should keep asking a failing VAPI API until the give-up time, then log from its own record', async () => {
    world.vapiApi.faults.set({ serverErrors: 1_000_000 });
    try {
      const call = await endedCall();

      await eventually(async () => {
        await reconciler.reconcileOnce(Date.now() + 2 * WINDOW_MS);
        return askedVapiFor(call.id);
      });
      expect(tasksOf(call.id)).toHaveLength(0);

      await eventually(async () => {
        await reconciler.reconcileOnce(Date.now() + PAST_GIVE_UP_MS);
        return tasksOf(call.id).length > 0;
      });
      await eventually(() => deliveriesSettled(world, call.id));
      expect(tasksOf(call.id)).toHaveLength(1);
      expect(String(tasksOf(call.id)[0].Description)).toContain('never arrived');
    } finally {
      world.vapiApi.faults.set({ serverErrors: 0 });
    }
  });
});
