import { LOCALES } from '../../src/calls/voice/locales';
import { CallWorld, eventually, startCallWorld } from '../support/call-harness';
import {
  callTool,
  casesOf,
  deliveriesSettled,
  newCall,
  seedCaller,
  smsTo,
  spelled,
} from '../support/call-driver';
import { assistantRequestMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

const ENGLISH = LOCALES.en.sentences;

/**
 * A model whose tool answer is slow calls the same tool again with the same arguments and a new toolCallId.
 * Within one call that is the same request: one write, and the second answer names the first result.
 */
describe('the same request repeated with a new toolCallId in one call', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld({ TOOL_WRITE_BUDGET_MS: '500' });
  });
  afterAll(() => world.close());
  afterEach(() => world.salesforce.faults.clear());

  const request = { issueType: 'billing', description: 'Charged twice for October' };

  it('should open one case and name it when createSalesforceCase is retried with the same arguments', async () => {
    const caller = seedCaller(world);
    const call = newCall(caller.phone);

    const first = await callTool(world, call, 'createSalesforceCase', request);
    const retry = await callTool(world, call, 'createSalesforceCase', {
      issueType: 'Billing',
      description: '  charged TWICE   for october ',
    });

    const cases = casesOf(world, caller.contactId);
    expect(cases).toHaveLength(1);
    const caseNumber = String(cases[0].CaseNumber);
    expect(first).toBe(`${ENGLISH.cases.opened(caseNumber, 'billing')}${ENGLISH.cases.willText}`);
    expect(retry).toBe(`I've already opened case ${spelled(caseNumber)} for that.`);
    await eventually(() => deliveriesSettled(world, call.id));
    expect(smsTo(world, caller.phone)).toHaveLength(1);
  });

  it('should open a second case for a different request, and for the same words in another call', async () => {
    const caller = seedCaller(world);
    const call = newCall(caller.phone);

    await callTool(world, call, 'createSalesforceCase', request);
    await callTool(world, call, 'createSalesforceCase', { ...request, description: 'Charged three times' });
    await callTool(world, newCall(caller.phone), 'createSalesforceCase', request);

    expect(casesOf(world, caller.contactId)).toHaveLength(3);
  });

  it('should keep one case when the retry comes while the first is still waiting for Salesforce', async () => {
    const caller = seedCaller(world);
    const call = newCall(caller.phone);
    // Recognised when the call began; Salesforce goes down during the call.
    await postWebhook(world.app.url, assistantRequestMessage(call));
    world.salesforce.faults.set({ outage: true });

    const first = await callTool(world, call, 'createSalesforceCase', request);
    const retry = await callTool(world, call, 'createSalesforceCase', request);
    world.salesforce.faults.clear();

    expect(first).toBe(ENGLISH.cases.queuedWillText);
    expect(retry).toBe(ENGLISH.cases.queuedWillText);
    await eventually(() => casesOf(world, caller.contactId).length > 0);
    await eventually(() => deliveriesSettled(world, call.id));
    expect(casesOf(world, caller.contactId)).toHaveLength(1);
    expect(smsTo(world, caller.phone)).toHaveLength(1);
  });

  it('should add one comment when addCaseComment is retried', async () => {
    const caller = seedCaller(world);
    const call = newCall(caller.phone);
    const caseId = world.salesforce.insert('Case', { Subject: 'Router', ContactId: caller.contactId });
    const caseNumber = String(world.salesforce.record('Case', caseId)?.CaseNumber);
    const comment = { caseNumber, comment: 'The router rebooted again at noon' };

    await callTool(world, call, 'addCaseComment', comment);
    const retry = await callTool(world, call, 'addCaseComment', comment);

    expect(retry).toBe(ENGLISH.comments.alreadyAdded(caseNumber));
    expect(world.salesforce.records('CaseComment').filter((row) => row.ParentId === caseId)).toHaveLength(1);
  });

  it('should repeat only the latest contact change: email A, then B, then A again are three changes', async () => {
    const caller = seedCaller(world);
    const call = newCall(caller.phone);
    const emailOf = () => world.salesforce.record('Contact', caller.contactId)?.Email;

    await callTool(world, call, 'updateContact', { email: 'a@example.test' });
    const retry = await callTool(world, call, 'updateContact', { email: 'A@example.test' });
    await callTool(world, call, 'updateContact', { email: 'b@example.test' });
    expect(emailOf()).toBe('b@example.test');
    const back = await callTool(world, call, 'updateContact', { email: 'a@example.test' });

    expect(retry).toBe(ENGLISH.contact.alreadyUpdated('email address'));
    expect(back).toBe(ENGLISH.contact.updated('email address'));
    expect(emailOf()).toBe('a@example.test');
    await eventually(() => deliveriesSettled(world, call.id));
    // One notice per change the caller made; none for the model's retry.
    expect(smsTo(world, caller.phone)).toHaveLength(3);
  });
});
