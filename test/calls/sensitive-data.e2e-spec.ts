import { LOCALES } from '../../src/calls/voice/locales';
import { SalesforceErrorCode } from '../../src/salesforce/salesforce.errors';
import { CallWorld, eventually, startCallWorld } from '../support/call-harness';
import { adminCall, callTool, deliveriesSettled, newCall, seedCaller } from '../support/call-driver';
import { endOfCallReportMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

const ENGLISH = LOCALES.en.sentences;

/** Card and SSN test values (Luhn-valid test cards; a syntactically valid SSN). */
const SPOKEN_CARD = 'four one one one one one one one one one one one one one one one';
const WRITTEN_CARD = '5555-5555-5555-4444';
const CVV = '737';
const SSN = '219-09-9999';
/** Every form in which any of them could have reached Salesforce. */
const LEAKS = [
  '4111111111111111',
  '4111 1111',
  'four one one one',
  '5555555555554444',
  '5555-5555',
  '5555 5555',
  `cvv ${CVV}`,
  SSN,
  '219099999',
];

describe('nothing sensitive reaches Salesforce', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld();
  });
  afterAll(() => world.close());

  /** Everything the fake stored: every field of every record, and the files behind ContentVersions. */
  const storedText = (): string => {
    const types = ['Case', 'CaseComment', 'Task', 'Contact', 'ContentVersion'];
    const records = types.flatMap((type) => world.salesforce.records(type));
    const files = world.salesforce
      .records('ContentVersion')
      .map((version) => world.salesforce.versionData(String(version.Id))?.toString('utf8') ?? '');
    return [JSON.stringify(records), ...files].join('\n').toLowerCase();
  };

  it('should mask a card number, its code and an SSN in the case, the comment, the call log and the transcript file', async () => {
    const caller = seedCaller(world);
    const call = newCall(caller.phone);

    const opened = await callTool(world, call, 'createSalesforceCase', {
      issueType: 'billing',
      subject: `Refund to card ${WRITTEN_CARD}`,
      description: `Please refund the card ${SPOKEN_CARD}, the one I paid with.`,
    });
    const caseId = String(
      world.salesforce.records('Case').find((row) => row.ContactId === caller.contactId)?.Id,
    );
    const caseNumber = String(world.salesforce.record('Case', caseId)?.CaseNumber);
    await callTool(world, call, 'addCaseComment', {
      caseNumber,
      comment: `Card ${WRITTEN_CARD} cvv ${CVV}, and my social security number is ${SSN}.`,
    });
    // Long enough that the whole transcript goes to Salesforce as a file as well as in the Task.
    const filler = 'AI: Is there anything else I can help with today?\n'.repeat(700);
    const transcript = `User: my card is ${SPOKEN_CARD}\n${filler}User: my SSN is ${SSN} and card ${WRITTEN_CARD} cvv ${CVV}`;
    await postWebhook(
      world.app.url,
      endOfCallReportMessage(call, { transcript, summary: `Caller read card ${WRITTEN_CARD} aloud.` }),
    );
    await eventually(() => world.salesforce.records('Task').find((task) => task.CallObject === call.id));
    await eventually(() => deliveriesSettled(world, call.id));

    expect(opened).toContain("I've opened case");
    const task = world.salesforce.records('Task').find((row) => row.CallObject === call.id);
    expect(String(task?.Description)).toContain('[card number]');
    expect(String(world.salesforce.record('Case', caseId)?.Description)).toContain('[card number]');
    const comment = world.salesforce.records('CaseComment').find((row) => row.ParentId === caseId);
    expect(comment?.CommentBody).toBe(
      'Card [card number] cvv [security code], and my social security number is [SSN].',
    );
    expect(world.salesforce.records('ContentVersion').length).toBeGreaterThan(0);
    const stored = storedText();
    for (const leak of LEAKS) expect(stored).not.toContain(leak.toLowerCase());
  });

  it('should say sensibly that a duplicate rule refused a contact change, change nothing and dead-letter it with its reason', async () => {
    world.salesforce.duplicateRules.set([
      { name: 'Contact_Email_Rule', object: 'Contact', fields: ['Email'], action: 'block' },
    ]);
    const owner = seedCaller(world);
    const caller = seedCaller(world);
    const call = newCall(caller.phone);
    const takenEmail = String(world.salesforce.record('Contact', owner.contactId)?.Email);
    const before = world.salesforce.record('Contact', caller.contactId);

    const spoken = await callTool(world, call, 'updateContact', { email: takenEmail });

    expect(spoken).toBe(ENGLISH.failures.salesforce[SalesforceErrorCode.DUPLICATES_DETECTED]);
    expect(spoken).not.toContain(takenEmail);
    expect(world.salesforce.record('Contact', caller.contactId)).toEqual(before);
    const view = await adminCall(world, call.id);
    const update = view?.deliveries.find((delivery) => delivery.kind === 'salesforce.contact.update') as
      { status: string; lastErrorCode: string; lastError: string } | undefined;
    expect(update).toMatchObject({ status: 'dead', lastErrorCode: 'DUPLICATES_DETECTED' });
    expect(update?.lastError).toContain('duplicate rule: Contact_Email_Rule');
    expect(update?.lastError).not.toContain(takenEmail);
    // Nothing changed, so nobody is told it did.
    expect(view?.deliveries.some((delivery) => delivery.kind === 'twilio.sms.send')).toBe(false);
    world.salesforce.duplicateRules.set([]);
  });
});
