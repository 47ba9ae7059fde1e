import { CallWorld, eventually, startCallWorld } from '../support/call-harness';
import { callTool, newCall, snapshot, spelled } from '../support/call-driver';
import { assistantRequestMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

/** Not in the demo org (555-01xx are its numbers; 555-02xx are seeded by tests). */
const STRANGER = '+14155550377';
/** Alex and Sam Morgan share this office line. */
const SHARED_LINE = '+14155550104';
const NOT_IDENTIFIED_FOR_CASES =
  'For your privacy I can only discuss existing cases when you call from the phone number on your account. I can open a new case, or transfer you to a colleague.';

describe('a call from a caller the phone number does not identify', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld();
  });
  afterAll(() => world.close());

  const writableTypes = ['Case', 'CaseComment', 'Contact', 'Account', 'Task'];
  const caseDetails = () =>
    world.salesforce
      .records('Case')
      .flatMap((record) => [String(record.Subject ?? ''), String(record.Description ?? '')])
      .filter((text) => text.length > 0);

  describe('opening a case', () => {
    it('should open the case on the account of the number the caller gives, without a contact', async () => {
      const call = newCall(STRANGER);
      await postWebhook(world.app.url, assistantRequestMessage(call));

      const spoken = await callTool(world, call, 'createSalesforceCase', {
        accountNumber: 'GLX-2002',
        issueType: 'billing',
        description: 'Invoice was sent to the wrong address',
      });

      const created = world.salesforce
        .records('Case')
        .filter((record) => String(record.Description).startsWith('Invoice was sent to the wrong address'));
      expect(created).toHaveLength(1);
      expect(created[0].AccountId).toBe(world.org.accounts.globex);
      expect(created[0].ContactId ?? null).toBeNull();
      const caseNumber = String(created[0].CaseNumber);
      expect(spoken).toBe(
        `I've opened case ${spelled(caseNumber)} for your billing issue. I will also text you the case number.`,
      );
      await eventually(() =>
        world.twilio.messages.find((message) => message.To === STRANGER && message.Body.includes(caseNumber)),
      );
    });

    it('should ask for the account number when the caller has not given one, and write nothing', async () => {
      const before = snapshot(world, writableTypes);

      const spoken = await callTool(world, newCall(STRANGER), 'createSalesforceCase', {
        issueType: 'technical',
        description: 'Nothing works',
      });

      expect(spoken).toBe('Could you tell me your account number?');
      expect(snapshot(world, writableTypes)).toEqual(before);
    });

    it('should ask again for an account number that does not exist, and write nothing', async () => {
      const before = snapshot(world, writableTypes);

      const spoken = await callTool(world, newCall(STRANGER), 'createSalesforceCase', {
        accountNumber: 'ACME-9999',
        issueType: 'technical',
        description: 'Nothing works',
      });

      expect(spoken).toBe(
        `I couldn't find an account with the number ${spelled('ACME-9999')}. Could you check it and tell me again?`,
      );
      expect(snapshot(world, writableTypes)).toEqual(before);
    });

    it('should put an ambiguous caller’s case on the account they name, not on either contact', async () => {
      const spoken = await callTool(world, newCall(SHARED_LINE), 'createSalesforceCase', {
        accountNumber: 'INI-3003',
        issueType: 'account',
        description: 'Shared line caller wants a new login',
      });

      const [created] = world.salesforce
        .records('Case')
        .filter((record) => String(record.Description).startsWith('Shared line caller wants a new login'));
      expect(spoken).toContain(`I've opened case ${spelled(String(created.CaseNumber))}`);
      expect(created.AccountId).toBe(world.org.accounts.initech);
      expect(created.ContactId ?? null).toBeNull();
    });
  });

  describe('hearing about existing cases', () => {
    const janesCase = () => world.salesforce.record('Case', world.org.cases.janeBilling);

    it.each([
      ['an unknown caller', STRANGER],
      ['an ambiguous caller', SHARED_LINE],
      ['a caller with a withheld number', undefined],
    ])('should tell %s no case details, whoever the case belongs to', async (_who, number) => {
      const spoken = await callTool(world, newCall(number), 'lookupCase', {
        caseNumber: String(janesCase()?.CaseNumber),
      });

      expect(spoken).toBe(NOT_IDENTIFIED_FOR_CASES);
      for (const detail of caseDetails()) expect(spoken).not.toContain(detail);
    });

    it.each([
      ['an unknown caller', STRANGER],
      ['an ambiguous caller', SHARED_LINE],
    ])('should not summarise open cases for %s', async (_who, number) => {
      const spoken = await callTool(world, newCall(number), 'lookupCase', {});

      expect(spoken).toBe(NOT_IDENTIFIED_FOR_CASES);
    });

    it('should not greet an ambiguous caller by name or mention cases', async () => {
      const reply = await postWebhook(world.app.url, assistantRequestMessage(newCall(SHARED_LINE)));

      const text = JSON.stringify(reply.body);
      expect(text).not.toMatch(/Alex|Sam|Morgan/);
      expect(text).toContain('was not recognised');
    });

    it('should refuse an unidentified caller’s comment on an existing case and write nothing', async () => {
      const before = snapshot(world, writableTypes);

      const spoken = await callTool(world, newCall(STRANGER), 'addCaseComment', {
        caseNumber: String(janesCase()?.CaseNumber),
        comment: 'Please cancel everything',
      });

      expect(spoken).toBe(NOT_IDENTIFIED_FOR_CASES);
      expect(snapshot(world, writableTypes)).toEqual(before);
    });

    it('should let an unidentified caller follow up on the case they opened in this call', async () => {
      const call = newCall(STRANGER);
      await callTool(world, call, 'createSalesforceCase', {
        accountNumber: 'ACME-1001',
        issueType: 'technical',
        description: 'Printer offline since Monday',
      });
      const [created] = world.salesforce
        .records('Case')
        .filter((record) => String(record.Description).startsWith('Printer offline since Monday'));

      const spoken = await callTool(world, call, 'lookupCase', { caseNumber: String(created.CaseNumber) });

      expect(spoken).toContain(`Case ${spelled(String(created.CaseNumber))}`);
    });
  });

  describe('updating contact details', () => {
    it.each([
      ['an unknown caller', STRANGER],
      ['an ambiguous caller', SHARED_LINE],
    ])('should refuse %s and write nothing', async (_who, number) => {
      const before = snapshot(world, writableTypes);

      const spoken = await callTool(world, newCall(number), 'updateContact', {
        email: 'someone.else@example.test',
      });

      expect(spoken).toBe(
        'I can only change contact details when you call from the phone number on your account. I can transfer you to a colleague who can help.',
      );
      expect(snapshot(world, writableTypes)).toEqual(before);
    });
  });
});
