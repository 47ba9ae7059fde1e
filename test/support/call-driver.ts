import { randomUUID } from 'node:crypto';
import type { FakeRecord } from '../fakes/salesforce/salesforce-fake';
import type { TwilioFakeMessage } from '../fakes/twilio/twilio-fake';
import { TEST_ADMIN_API_KEY } from './app-harness';
import type { CallWorld } from './call-harness';
import { CallFixture, toolCallsMessage } from './vapi-payloads';
import { postWebhook } from './webhook-client';

/**
 * Small steps for end-to-end call tests: fresh call and tool-call ids, one tool call as VAPI sends it (signed),
 * callers seeded into the Salesforce fake, and the operator view of a call.
 */

/** A call nobody else uses: every test gets its own VAPI call id. */
export function newCall(customerNumber?: string): CallFixture & { id: string } {
  return { id: `call-${randomUUID()}`, customerNumber };
}

/** VAPI tool-call ids look like `call_…` (OpenAI's format). */
export function newToolCallId(): string {
  return `call_${randomUUID().replaceAll('-', '')}`;
}

/** How the agent reads a case number: digit by digit. */
export function spelled(caseNumber: string): string {
  return caseNumber.split('').join(' ');
}

/** Sends one tool call through the signed webhook and returns what the caller hears (result or error). */
export async function callTool(
  world: CallWorld,
  call: CallFixture,
  name: string,
  args: Record<string, unknown>,
  toolCallId = newToolCallId(),
): Promise<string> {
  const reply = await postWebhook(
    world.app.url,
    toolCallsMessage(call, [{ id: toolCallId, name, arguments: args }]),
  );
  if (reply.status !== 200) throw new Error(`webhook answered HTTP ${reply.status}`);
  const [result] = reply.body.results as { toolCallId: string; result?: string; error?: string }[];
  if (result.toolCallId !== toolCallId) throw new Error('tool result for another tool call');
  return result.result ?? result.error ?? '';
}

let seededPhones = 0;

/**
 * A Contact of its own for one test, reachable by a phone number no other record has (stored in a format
 * people type, so the lookup's normalisation is exercised). Returns its id and the caller number (E.164).
 */
export function seedCaller(
  world: CallWorld,
  fields: Record<string, unknown> = {},
): { contactId: string; accountId: string; phone: string } {
  seededPhones += 1;
  // 555-02xx: fictional, and apart from every number in the demo org (555-01xx).
  const line = String(200 + seededPhones).padStart(4, '0');
  const accountId = world.salesforce.insert('Account', {
    Name: `Test Account ${line}`,
    AccountNumber: `TST-${line}`,
  });
  const contactId = world.salesforce.insert('Contact', {
    FirstName: 'Robin',
    LastName: `Tester${line}`,
    Phone: `(415) 555-${line}`,
    Email: `robin.${line}@example.test`,
    AccountId: accountId,
    MailingStreet: '10 Test Way',
    MailingCity: 'Oakland',
    MailingState: 'CA',
    MailingPostalCode: '94607',
    MailingCountry: 'US',
    ...fields,
  });
  return { contactId, accountId, phone: `+1415555${line}` };
}

/** The Cases of one Contact in the Salesforce fake. */
export function casesOf(world: CallWorld, contactId: string): FakeRecord[] {
  return world.salesforce.records('Case').filter((record) => record.ContactId === contactId);
}

/** The SMS the Twilio fake sent to one number. */
export function smsTo(world: CallWorld, number: string): TwilioFakeMessage[] {
  return world.twilio.messages.filter((message) => message.To === number);
}

/** Every record of the given types, for "nothing else changed" comparisons. */
export function snapshot(world: CallWorld, types: string[]): Record<string, FakeRecord[]> {
  return Object.fromEntries(types.map((type) => [type, world.salesforce.records(type)]));
}

export interface AdminCallView {
  call: { transfer: unknown; casesCreated: unknown; identityKind: string } | null;
  deliveries: { kind: string; status: string }[];
}

/** The operator endpoint's view of a call (GET /admin/calls/:callId). */
export async function adminCall(world: CallWorld, callId: string): Promise<AdminCallView | undefined> {
  const response = await fetch(`${world.app.url}/admin/calls/${encodeURIComponent(callId)}`, {
    headers: { 'x-api-key': TEST_ADMIN_API_KEY },
  });
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw new Error(`admin answered HTTP ${response.status}`);
  return (await response.json()) as AdminCallView;
}

/** True once the outbox holds nothing more to do for this call. */
export async function deliveriesSettled(world: CallWorld, callId: string): Promise<boolean> {
  const view = await adminCall(world, callId);
  return view !== undefined && view.deliveries.every((delivery) => delivery.status !== 'pending');
}
