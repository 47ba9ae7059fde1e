import { CallWorld, startCallWorld } from '../support/call-harness';
import { callTool, newCall, seedCaller } from '../support/call-driver';
import { TEST_ADMIN_API_KEY } from '../support/app-harness';
import { assistantRequestMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

describe("the operator's view of a call (GET /admin/calls/:callId)", () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld();
  });
  afterAll(() => world.close());

  const view = (callId: string) =>
    fetch(`${world.app.url}/admin/calls/${encodeURIComponent(callId)}`, {
      headers: { 'x-api-key': TEST_ADMIN_API_KEY },
    });

  it("should show the call's record and its deliveries with personal data redacted", async () => {
    const caller = seedCaller(world);
    const call = newCall(caller.phone);
    await postWebhook(world.app.url, assistantRequestMessage(call));
    await callTool(world, call, 'updateContact', { email: 'robin.new@example.test' });

    const response = await view(call.id);

    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      call: {
        id: call.id,
        callerNumber: '[redacted]',
        contactId: caller.contactId,
        identityKind: 'identified',
        assurance: 'recognised',
        verificationAttempts: 0,
      },
      deliveries: [
        {
          kind: 'salesforce.contact.update',
          status: 'succeeded',
          payload: { contactId: caller.contactId, fields: { email: '[redacted]' } },
        },
        { kind: 'twilio.sms.send', payload: { to: '[redacted]', body: '[redacted]' } },
      ],
    });
    expect(JSON.stringify(body)).not.toContain('robin.new@example.test');
    expect(JSON.stringify(body)).not.toContain(caller.phone.slice(2));
  });

  it('should answer 404 for a call it knows nothing of, and 401 without the key', async () => {
    expect((await view('call-nobody')).status).toBe(404);
    expect((await fetch(`${world.app.url}/admin/calls/call-nobody`)).status).toBe(401);
  });
});
