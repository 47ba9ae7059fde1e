import { LOCALES } from '../../src/calls/voice/locales';
import { CallWorld, eventually, startCallWorld } from '../support/call-harness';
import { adminCall, newCall } from '../support/call-driver';
import { vapiSchemaErrors } from '../support/vapi-openapi';
import { assistantRequestMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

const ENGLISH = LOCALES.en.sentences;

const JANE = '+14155550100';
/** The lookup's budget is 200 ms; every Salesforce request of these tests takes 600 ms. */
const SLOW = { latencyMs: 600 };

describe('a caller lookup that misses the assistant-request budget (Live Call Control)', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld({
      CALLER_LOOKUP_BUDGET_MS: '200',
      VAPI_CONTROL_ALLOW_LOOPBACK_HTTP: 'true',
    });
  });
  afterAll(() => world.close());
  afterEach(() => world.salesforce.faults.set({ latencyMs: 0 }));

  const controlMessagesFor = (callId: string) =>
    world.vapiApi.controlMessages.filter((message) => message.callId === callId);

  it('should start the call generic, then add a silent system message naming the caller by first name', async () => {
    world.salesforce.faults.set(SLOW);
    const call = { ...newCall(JANE), controlUrl: '' };
    call.controlUrl = world.vapiApi.controlUrlFor(call.id);

    const reply = await postWebhook(world.app.url, assistantRequestMessage(call));

    expect((reply.body.assistant as { firstMessage: string }).firstMessage).toMatch(/^Thanks for calling/);
    const [pushed] = await eventually(() => {
      const found = controlMessagesFor(call.id);
      return found.length > 0 ? found : undefined;
    });
    expect(pushed.body).toEqual({
      type: 'add-message',
      message: { role: 'system', content: ENGLISH.assistant.lateRecognised('Jane') },
      triggerResponseEnabled: false,
    });
    expect(vapiSchemaErrors('ClientInboundMessageAddMessage', pushed.body)).toEqual([]);
    // The first name and nothing else of hers: no number, no email, no case.
    const content = String((pushed.body.message as { content: string }).content);
    expect(content).not.toMatch(/555|@|Doe|Invoice|\d/);
    expect(controlMessagesFor(call.id)).toHaveLength(1);
  });

  it('should push nothing when the caller was found within the budget', async () => {
    const call = { ...newCall(JANE), controlUrl: '' };
    call.controlUrl = world.vapiApi.controlUrlFor(call.id);

    const reply = await postWebhook(world.app.url, assistantRequestMessage(call));
    await eventually(async () => (await adminCall(world, call.id))?.call?.identityKind === 'identified');

    expect((reply.body.assistant as { firstMessage: string }).firstMessage).toMatch(/^Hi Jane\b/);
    expect(controlMessagesFor(call.id)).toEqual([]);
  });

  it('should push nothing when the late lookup does not recognise the caller', async () => {
    world.salesforce.faults.set(SLOW);
    const call = { ...newCall('+14155559123'), controlUrl: '' };
    call.controlUrl = world.vapiApi.controlUrlFor(call.id);

    await postWebhook(world.app.url, assistantRequestMessage(call));
    await eventually(async () => (await adminCall(world, call.id))?.call?.identityKind === 'unidentified');

    expect(controlMessagesFor(call.id)).toEqual([]);
  });

  it('should never post to a control URL on a host VAPI does not use', async () => {
    world.salesforce.faults.set(SLOW);
    const call = { ...newCall(JANE), controlUrl: 'https://control.attacker.example/steal' };

    await postWebhook(world.app.url, assistantRequestMessage(call));

    await eventually(() => world.app.logs.text.includes('"outcome":"refused"'));
  });
});
