import { CallWorld, startCallWorld } from '../support/call-harness';
import { callTool, newCall, seedCaller, snapshot } from '../support/call-driver';
import { assistantRequestMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

/**
 * Values a caller (or a confused model) could put into any string argument: SOQL quote breaking, escaped quotes,
 * SOSL clause breaking, LIKE wildcards, and quotes, backslashes and newlines together. Several would match real
 * records of other customers if they reached a query unescaped.
 */
const INJECTIONS = [
  `' OR Name LIKE '%`,
  `\\' OR 1=1 --`,
  `} RETURNING Account(Id)`,
  `x' OR AccountNumber = 'ACME-1001`,
  `%' OR CaseNumber LIKE '%`,
  `"double" 'single' \\back\\slash\nsecond line`,
];

const ALL_TYPES = ['Case', 'CaseComment', 'Contact', 'Account', 'Task', 'ContentVersion'];
const JANE = '+14155550100';

describe('injection attempts in tool arguments', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld();
  });
  afterAll(() => world.close());

  /** Names, account numbers and case subjects of the demo org: none may reach a caller who does not own them. */
  const foreignDetails = () => [
    ...world.salesforce
      .records('Account')
      .flatMap((record) => [String(record.Name), String(record.AccountNumber)]),
    ...world.salesforce.records('Contact').map((record) => String(record.LastName)),
    ...world.salesforce.records('Case').map((record) => String(record.Subject ?? '')),
  ];
  const expectNoForeignDetails = (spoken: string) => {
    for (const detail of foreignDetails().filter((text) => text.length > 3))
      expect(spoken).not.toContain(detail);
  };

  it.each(INJECTIONS)(
    'should not find an account for an unidentified caller by the account number %j, and write nothing',
    async (accountNumber) => {
      const before = snapshot(world, ALL_TYPES);

      const spoken = await callTool(world, newCall('+14155550378'), 'createSalesforceCase', {
        accountNumber,
        issueType: 'billing',
        description: 'Please open a case',
      });

      // A value longer than AccountNumber's 40 characters is asked for again without a lookup.
      expect(spoken).toMatch(
        accountNumber.trim().length > 40
          ? /^Could you tell me your account number\?$/
          : /^I couldn't find an account with the number .* Could you check it and tell me again\?$/,
      );
      expectNoForeignDetails(spoken);
      expect(snapshot(world, ALL_TYPES)).toEqual(before);
    },
  );

  it.each(INJECTIONS)(
    'should store the subject and description %j literally on the caller’s own case',
    async (text) => {
      const marker = `[${Math.random().toString(36).slice(2)}]`;
      const before = snapshot(world, ['Contact', 'Account', 'CaseComment']);
      const caseCount = world.salesforce.records('Case').length;

      const spoken = await callTool(world, newCall(JANE), 'createSalesforceCase', {
        issueType: 'technical',
        subject: `${marker} ${text}`.slice(0, 255),
        description: `${marker} ${text}`,
      });

      const created = world.salesforce
        .records('Case')
        .filter((record) => String(record.Description).startsWith(marker));
      expect(created).toHaveLength(1);
      expect(world.salesforce.records('Case')).toHaveLength(caseCount + 1);
      expect(created[0]).toMatchObject({
        Subject: `${marker} ${text}`.trim(),
        ContactId: world.org.contacts.jane,
        AccountId: world.org.accounts.acme,
      });
      expect(String(created[0].Description).startsWith(`${marker} ${text}`.trim())).toBe(true);
      expect(spoken).toMatch(/^I've opened case [\d ]+ for your technical issue\./);
      expect(snapshot(world, ['Contact', 'Account', 'CaseComment'])).toEqual(before);
    },
  );

  it.each(INJECTIONS)('should ask again for the case number %j and tell nothing', async (caseNumber) => {
    const spoken = await callTool(world, newCall(JANE), 'lookupCase', { caseNumber });

    expect(spoken).toBe('Could you read me the case number, digit by digit?');
    expectNoForeignDetails(spoken);
  });

  it.each(INJECTIONS)('should not comment on any case for the case number %j', async (caseNumber) => {
    const before = snapshot(world, ALL_TYPES);

    const spoken = await callTool(world, newCall(JANE), 'addCaseComment', { caseNumber, comment: 'Hello' });

    expect(spoken).toBe('Which case is this about? Could you read me the case number?');
    expect(snapshot(world, ALL_TYPES)).toEqual(before);
  });

  it.each(INJECTIONS)('should store the comment %j literally on the caller’s own case only', async (text) => {
    const marker = `[${Math.random().toString(36).slice(2)}]`;
    const janesCase = world.salesforce.record('Case', world.org.cases.janeBilling);

    const spoken = await callTool(world, newCall(JANE), 'addCaseComment', {
      caseNumber: String(janesCase?.CaseNumber),
      comment: `${marker} ${text}`,
    });

    const comments = world.salesforce
      .records('CaseComment')
      .filter((comment) => String(comment.CommentBody).startsWith(marker));
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ ParentId: janesCase?.Id, CommentBody: `${marker} ${text}`.trim() });
    expect(spoken).toMatch(/^I've added your comment to case/);
  });

  it.each(INJECTIONS)(
    'should write the street %j literally to the caller’s own contact only',
    async (text) => {
      const caller = seedCaller(world);
      const before = snapshot(world, ALL_TYPES);
      const street = text.trim();

      const spoken = await callTool(world, newCall(caller.phone), 'updateContact', { mailingStreet: text });

      expect(spoken).toBe("I've updated your street.");
      const after = snapshot(world, ALL_TYPES);
      expect(after.Contact.find((contact) => contact.Id === caller.contactId)).toMatchObject({
        MailingStreet: street,
      });
      const others = (records: typeof after.Contact) =>
        records.filter((contact) => contact.Id !== caller.contactId);
      expect(others(after.Contact)).toEqual(others(before.Contact));
      expect({ ...after, Contact: [] }).toEqual({ ...before, Contact: [] });
    },
  );

  it.each(INJECTIONS.map((text) => [`${text}@example.test`]))(
    'should ask again for the email %j and write nothing',
    async (email) => {
      const caller = seedCaller(world);
      const before = snapshot(world, ALL_TYPES);

      const spoken = await callTool(world, newCall(caller.phone), 'updateContact', { email });

      expect(spoken).toBe("That email address doesn't look right. Could you spell it for me?");
      expect(snapshot(world, ALL_TYPES)).toEqual(before);
    },
  );

  it.each([`+1415' OR Phone LIKE '%`, `} RETURNING Contact(Id)`, `' OR 1=1`])(
    'should treat the caller number %j as unidentified',
    async (number) => {
      const call = newCall(number);

      const greeting = await postWebhook(world.app.url, assistantRequestMessage(call));
      const spoken = await callTool(world, call, 'lookupCase', {});

      expect(JSON.stringify(greeting.body)).not.toContain('Hi ');
      expect(spoken).toMatch(/^For your privacy/);
    },
  );
});
