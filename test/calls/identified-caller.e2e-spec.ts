import { CallWorld, eventually, startCallWorld, SUPPORT_LINE } from '../support/call-harness';
import { adminCall, callTool, newCall, seedCaller, snapshot, spelled } from '../support/call-driver';
import { vapiSchemaErrors } from '../support/vapi-openapi';
import { assistantRequestMessage, transferDestinationRequestMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

const JANE = '+14155550100';
const DAY_MS = 86_400_000;

describe('a call from an identified caller', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld();
  });
  afterAll(() => world.close());

  const caseNumberOf = (caseId: string) => String(world.salesforce.record('Case', caseId)?.CaseNumber);
  const casesWithDescription = (text: string) =>
    world.salesforce.records('Case').filter((record) => String(record.Description ?? '').startsWith(text));

  describe('opening a case', () => {
    it('should open the case on the caller’s contact and account, speak its number digit by digit and text it', async () => {
      const call = newCall(JANE);
      await postWebhook(world.app.url, assistantRequestMessage(call));

      const spoken = await callTool(world, call, 'createSalesforceCase', {
        issueType: 'Technical',
        description: 'The modem lights blink red after the update',
        priority: 'high',
      });

      const [created] = casesWithDescription('The modem lights blink red after the update');
      expect(casesWithDescription('The modem lights blink red after the update')).toHaveLength(1);
      expect(created).toMatchObject({
        ContactId: world.org.contacts.jane,
        AccountId: world.org.accounts.acme,
        Type: 'Technical',
        Priority: 'High',
      });
      const caseNumber = String(created.CaseNumber);
      expect(spoken).toBe(
        `I've opened case ${spelled(caseNumber)} for your technical issue. I will also text you the case number.`,
      );
      const sms = await eventually(() =>
        world.twilio.messages.find((message) => message.To === JANE && message.Body.includes(caseNumber)),
      );
      expect(sms.From).toBe('+14155550000');
    });
  });

  describe('looking up cases', () => {
    it('should tell the caller the status and subject of their own case', async () => {
      const caseNumber = caseNumberOf(world.org.cases.janeBilling);

      const spoken = await callTool(world, newCall(JANE), 'lookupCase', { caseNumber });

      expect(spoken).toBe(`Case ${spelled(caseNumber)}, about "Invoice shows a double charge", is working.`);
    });

    it('should find the caller’s case when they drop the leading zeros', async () => {
      const caseNumber = caseNumberOf(world.org.cases.janeBilling);

      const spoken = await callTool(world, newCall(JANE), 'lookupCase', {
        caseNumber: `case ${caseNumber.replace(/^0+/, '')}`,
      });

      expect(spoken).toContain(`Case ${spelled(caseNumber)}`);
      expect(spoken).toContain('is working');
    });

    it('should answer another customer’s case exactly like a case that does not exist', async () => {
      const johnsCase = world.salesforce.record('Case', world.org.cases.johnRouter);
      const johnsNumber = String(johnsCase?.CaseNumber);
      const missingNumber = '09999999';
      expect(world.salesforce.records('Case').some((record) => record.CaseNumber === missingNumber)).toBe(
        false,
      );

      const aboutJohns = await callTool(world, newCall(JANE), 'lookupCase', { caseNumber: johnsNumber });
      const aboutMissing = await callTool(world, newCall(JANE), 'lookupCase', { caseNumber: missingNumber });

      expect(aboutJohns.replace(spelled(johnsNumber), '#')).toBe(
        aboutMissing.replace(spelled(missingNumber), '#'),
      );
      expect(aboutJohns).not.toContain(String(johnsCase?.Subject));
      expect(aboutJohns.toLowerCase()).not.toMatch(/router|\bnew\b/);
    });

    it('should summarise the caller’s three most recent open cases, newest first, and leave closed ones out', async () => {
      const caller = seedCaller(world);
      const now = world.salesforce.now();
      const openCase = (subject: string, daysAgo: number) =>
        world.salesforce.insert('Case', {
          Subject: subject,
          Status: 'New',
          ContactId: caller.contactId,
          AccountId: caller.accountId,
          CreatedDate: new Date(now - daysAgo * DAY_MS).toISOString(),
        });
      const oldest = openCase('Oldest open problem', 9);
      const third = openCase('Third newest problem', 5);
      const newest = openCase('Newest problem', 1);
      const second = openCase('Second newest problem', 3);
      const closed = world.salesforce.insert('Case', {
        Subject: 'Already solved problem',
        Status: 'Closed',
        ContactId: caller.contactId,
        CreatedDate: new Date(now - 0.5 * DAY_MS).toISOString(),
      });

      const spoken = await callTool(world, newCall(caller.phone), 'lookupCase', {});

      const mentioned = (caseId: string) => spoken.indexOf(spelled(caseNumberOf(caseId)));
      expect(spoken).toMatch(/^Your 3 most recent open cases:/);
      expect(mentioned(newest)).toBeGreaterThan(0);
      expect(mentioned(second)).toBeGreaterThan(mentioned(newest));
      expect(mentioned(third)).toBeGreaterThan(mentioned(second));
      expect(mentioned(oldest)).toBe(-1);
      expect(mentioned(closed)).toBe(-1);
      expect(spoken).not.toContain('Already solved problem');
    });
  });

  describe('commenting on a case', () => {
    it('should add the comment to the caller’s own case', async () => {
      const caseId = world.org.cases.janeBilling;
      const caseNumber = caseNumberOf(caseId);

      const spoken = await callTool(world, newCall(JANE), 'addCaseComment', {
        caseNumber,
        comment: 'The charge appeared again on the November invoice',
      });

      expect(spoken).toBe(`I've added your comment to case ${spelled(caseNumber)}.`);
      const comments = world.salesforce
        .records('CaseComment')
        .filter((comment) => comment.CommentBody === 'The charge appeared again on the November invoice');
      expect(comments).toHaveLength(1);
      expect(comments[0].ParentId).toBe(caseId);
    });

    it('should refuse to comment on another customer’s case and write nothing', async () => {
      const before = world.salesforce.records('CaseComment');
      const johnsNumber = caseNumberOf(world.org.cases.johnRouter);

      const spoken = await callTool(world, newCall(JANE), 'addCaseComment', {
        caseNumber: johnsNumber,
        comment: 'Please close this case',
      });

      expect(spoken).toBe(
        `I couldn't find case ${spelled(johnsNumber)} on your account. Could you check the number?`,
      );
      expect(world.salesforce.records('CaseComment')).toEqual(before);
    });
  });

  describe('updating contact details', () => {
    it('should change only the fields the caller gave', async () => {
      const caller = seedCaller(world);
      const before = world.salesforce.record('Contact', caller.contactId);

      const spoken = await callTool(world, newCall(caller.phone), 'updateContact', {
        email: 'robin.new@example.test',
        mailingCity: 'Berkeley',
      });

      expect(spoken).toBe("I've updated your email address and city.");
      expect(world.salesforce.record('Contact', caller.contactId)).toEqual({
        ...before,
        Email: 'robin.new@example.test',
        MailingCity: 'Berkeley',
        LastModifiedDate: expect.any(String),
      });
    });

    it('should store a new mobile number in E.164 form', async () => {
      const caller = seedCaller(world);
      const before = world.salesforce.record('Contact', caller.contactId);

      await callTool(world, newCall(caller.phone), 'updateContact', { mobilePhone: '(510) 555-0142' });

      expect(world.salesforce.record('Contact', caller.contactId)).toEqual({
        ...before,
        MobilePhone: '+15105550142',
        LastModifiedDate: expect.any(String),
      });
    });

    it('should ask again for an invalid email and write nothing', async () => {
      const caller = seedCaller(world);
      const before = snapshot(world, ['Contact']);

      const spoken = await callTool(world, newCall(caller.phone), 'updateContact', {
        email: 'robin at example dot test',
      });

      expect(spoken).toBe("That email address doesn't look right. Could you spell it for me?");
      expect(snapshot(world, ['Contact'])).toEqual(before);
    });
  });

  describe('transfer to a human', () => {
    it('should answer with the support line, record the hand-off and note it on the case opened in the call', async () => {
      const call = newCall(JANE);
      await postWebhook(world.app.url, assistantRequestMessage(call));
      await callTool(world, call, 'createSalesforceCase', {
        issueType: 'account',
        description: 'Wants to add a second user to the account',
      });
      const [created] = casesWithDescription('Wants to add a second user to the account');

      const reply = await postWebhook(world.app.url, transferDestinationRequestMessage(call));

      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        destination: { type: 'number', number: SUPPORT_LINE, message: expect.stringMatching(/\w+/) },
      });
      expect(vapiSchemaErrors('ServerMessageResponseTransferDestinationRequest', reply.body)).toEqual([]);
      const view = await adminCall(world, call.id);
      expect(view?.call?.transfer).toMatchObject({ at: expect.any(String) });
      const note = await eventually(() =>
        world.salesforce.records('CaseComment').find((comment) => comment.ParentId === created.Id),
      );
      expect(String(note.CommentBody)).toContain(call.id);
    });

    it('should record the hand-off of a call in which no case was opened', async () => {
      const call = newCall(JANE);

      const reply = await postWebhook(world.app.url, transferDestinationRequestMessage(call));

      expect(reply.body).toMatchObject({ destination: { type: 'number', number: SUPPORT_LINE } });
      const view = await adminCall(world, call.id);
      expect(view?.call?.transfer).toMatchObject({ at: expect.any(String) });
    });
  });
});
