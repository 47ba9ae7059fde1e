import { CallWorld, eventually, startCallWorld } from '../support/call-harness';
import { assistantRequestMessage, endOfCallReportMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';
import {
  callTool,
  deliveriesSettled,
  newCall,
  newToolCallId,
  seedCaller,
  spelled,
} from '../support/call-driver';

describe('duplicate deliveries and Salesforce failures during a call', () => {
  let world: CallWorld;
  beforeAll(async () => {
    // A short inline budget, so a caller during an outage hears the fallback promptly.
    world = await startCallWorld({ TOOL_WRITE_BUDGET_MS: '500' });
  });
  afterAll(() => world.close());
  afterEach(() => world.salesforce.faults.clear());

  const casesOf = (contactId: string) =>
    world.salesforce.records('Case').filter((record) => record.ContactId === contactId);
  const smsTo = (number: string) => world.twilio.messages.filter((message) => message.To === number);
  const openCase = { issueType: 'billing', description: 'Charged twice for October' };

  describe('the same tool call delivered twice', () => {
    it('should open one case and give the same answer when the delivery is repeated', async () => {
      const caller = seedCaller(world);
      const call = newCall(caller.phone);
      const toolCallId = newToolCallId();

      const first = await callTool(world, call, 'createSalesforceCase', openCase, toolCallId);
      const second = await callTool(world, call, 'createSalesforceCase', openCase, toolCallId);

      expect(second).toBe(first);
      const cases = casesOf(caller.contactId);
      expect(cases).toHaveLength(1);
      expect(first).toContain(spelled(String(cases[0].CaseNumber)));
      await eventually(() => deliveriesSettled(world, call.id));
      expect(smsTo(caller.phone)).toHaveLength(1);
    });

    it('should open one case and give the same answer when both deliveries arrive at once', async () => {
      const caller = seedCaller(world);
      const call = newCall(caller.phone);
      const toolCallId = newToolCallId();

      const answers = await Promise.all(
        [1, 2, 3].map(() => callTool(world, call, 'createSalesforceCase', openCase, toolCallId)),
      );

      const cases = casesOf(caller.contactId);
      expect(cases).toHaveLength(1);
      expect(answers).toEqual(Array(3).fill(answers[0]));
      expect(answers[0]).toContain(spelled(String(cases[0].CaseNumber)));
      await eventually(() => deliveriesSettled(world, call.id));
      expect(smsTo(caller.phone)).toHaveLength(1);
    });
  });

  describe('a Salesforce outage', () => {
    it('should promise a text at once, then open exactly one case and text its number once Salesforce is back', async () => {
      const caller = seedCaller(world);
      const call = newCall(caller.phone);
      // The caller was recognised when the call began; Salesforce goes down during the call.
      const greeting = await postWebhook(world.app.url, assistantRequestMessage(call));
      expect(JSON.stringify(greeting.body)).toContain('Hi Robin');
      world.salesforce.faults.set({ outage: true });

      const started = Date.now();
      const spoken = await callTool(world, call, 'createSalesforceCase', openCase);
      const waitedMs = Date.now() - started;

      expect(spoken).toBe(
        "I've noted your request. Our system is slow right now, so you'll get a text with your case number shortly.",
      );
      // Generous: the budget is 500 ms; the point is that the caller is not kept waiting for the outage.
      expect(waitedMs).toBeLessThan(5000);
      expect(casesOf(caller.contactId)).toHaveLength(0);
      // The call ends before Salesforce is back: its log must still point at the case created later.
      await postWebhook(world.app.url, endOfCallReportMessage(call, { transcript: 'User: charged twice' }));

      world.salesforce.faults.clear();

      const [created] = await eventually(() => {
        const cases = casesOf(caller.contactId);
        return cases.length > 0 ? cases : undefined;
      });
      const sms = await eventually(() => smsTo(caller.phone)[0]);
      expect(sms.Body).toContain(String(created.CaseNumber));
      await eventually(() => deliveriesSettled(world, call.id));
      expect(casesOf(caller.contactId)).toHaveLength(1);
      expect(smsTo(caller.phone)).toHaveLength(1);
      const tasks = world.salesforce.records('Task').filter((task) => task.CallObject === call.id);
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ WhatId: created.Id, WhoId: caller.contactId });
      expect(String(tasks[0].Subject)).toContain(`(case ${String(created.CaseNumber)})`);
    });

    it('should queue the case of a caller Salesforce could not identify, on the account number they gave', async () => {
      const stranger = '+14155550177';
      const call = newCall(stranger);
      world.salesforce.faults.set({ outage: true });
      const before = world.salesforce.records('Case').length;

      const spoken = await callTool(world, call, 'createSalesforceCase', {
        ...openCase,
        accountNumber: 'GLX-2002',
      });

      expect(spoken).toContain("you'll get a text with your case number");
      world.salesforce.faults.clear();
      await eventually(() => deliveriesSettled(world, call.id));
      const created = world.salesforce.records('Case').slice(before);
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ AccountId: world.org.accounts.globex });
      expect(created[0].ContactId ?? null).toBeNull();
      const sms = await eventually(() => smsTo(stranger)[0]);
      expect(sms.Body).toContain(String(created[0].CaseNumber));
    });

    it('should open exactly one case when Salesforce commits it but the response is lost', async () => {
      const caller = seedCaller(world);
      const call = newCall(caller.phone);
      world.salesforce.faults.set({ loseResponses: 1, match: '/composite' });

      const spoken = await callTool(world, call, 'createSalesforceCase', openCase);

      await eventually(() => deliveriesSettled(world, call.id));
      expect(world.salesforce.stats.faults.lostResponses).toBeGreaterThanOrEqual(1);
      const cases = casesOf(caller.contactId);
      expect(cases).toHaveLength(1);
      const caseNumber = String(cases[0].CaseNumber);
      // Either the retry found the case within the budget, or the caller was promised the text.
      if (spoken.startsWith("I've opened case")) expect(spoken).toContain(spelled(caseNumber));
      else expect(spoken).toContain("you'll get a text with your case number");
      const sms = await eventually(() => smsTo(caller.phone)[0]);
      expect(sms.Body).toContain(caseNumber);
    });
  });
});
