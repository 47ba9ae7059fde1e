import type { DemoOrgRecords } from '../../test/fakes/salesforce/demo-org';
import { Checks } from './checks';
import type { RecordExpectations } from './records';
import type { DemoToolCall } from './vapi-client';
import type { DemoWorld } from './world';

/**
 * The scripted calls. Each caller line comes with what the model would do about it (a tool call, a transfer,
 * hanging up); every "Agent" line the demo prints is the service's own reply, checked against a pattern.
 */

/** A value the script knows only while the call runs (e.g. the code the caller was texted). */
export type Live<T> = T | ((world: DemoWorld) => T);

export type CallStep =
  /** The caller speaks, the model calls one of our tools, the agent speaks the tool's result. */
  | { caller: Live<string>; tool: Live<DemoToolCall>; agent: RegExp }
  /** The caller asks for a person: VAPI's transferCall tool asks us where to (transfer-destination-request). */
  | { caller: string; transfer: true; agent: RegExp }
  /** The caller says goodbye: the assistant's endCallMessage, then the call ends. */
  | { caller: string; hangUp: true }
  /** Something happens outside the conversation. */
  | { event: string; run: (world: DemoWorld) => Promise<void> };

export interface OutboxDelivery {
  kind: string;
  status: string;
  attempts: number;
  lastErrorCode: string | null;
}

export interface AfterCallContext {
  world: DemoWorld;
  checks: Checks;
  /** The call's outbox deliveries, as the operator endpoint shows them. */
  deliveries(): Promise<OutboxDelivery[]>;
  /** Cases created in Salesforce since the call began. */
  newCases(): number;
  event(text: string): void;
  note(text: string): void;
}

export interface CallScript {
  title: string;
  /** The support line called: the English one (default) or the Spanish one (ASSISTANT_LANGUAGE=es). */
  line?: 'en' | 'es';
  callerNumber: string;
  greeting: RegExp;
  steps: CallStep[];
  /** VAPI's post-call summary (normally written by its model). */
  summary: string;
  /** Runs after the end-of-call report, before the records are checked. */
  afterCall?: (context: AfterCallContext) => Promise<void>;
  expect: RecordExpectations;
}

/** "0 0 0 0 1 0 0 3": how the agent reads a case number (digit by digit, for text-to-speech). */
const spelled = (caseNumber: string) => caseNumber.split('').join(' ');
/** Captures a spoken case number as the named group `caseNumber`. */
const SPOKEN_CASE_NUMBER = '(?<caseNumber>\\d(?: \\d)*)';

export function demoCalls(org: DemoOrgRecords, caseNumbers: Record<keyof DemoOrgRecords['cases'], string>) {
  const { accounts, contacts } = org;
  const jane: CallScript = {
    title: 'Jane Doe, a known customer, opens a billing case',
    callerNumber: '+14155550100',
    greeting: /^Hi Jane, thanks for calling Northwind support\. I can see you have an open case\./,
    steps: [
      {
        caller: 'Hi, I was charged twice for my subscription this month.',
        tool: {
          name: 'createSalesforceCase',
          arguments: {
            issueType: 'billing',
            description: 'Charged twice for the monthly subscription in November.',
            priority: 'high',
          },
        },
        agent: new RegExp(`^I've opened case ${SPOKEN_CASE_NUMBER} for your billing issue\\..*text you`),
      },
      {
        caller: 'Thanks. Can I talk to someone about getting a refund today?',
        transfer: true,
        agent: /connecting you with a colleague/,
      },
    ],
    summary: 'Jane reported a double charge; a billing case was opened and she was transferred for a refund.',
    expect: {
      cases: [{ type: 'Billing', contactId: contacts.jane, accountId: accounts.acme }],
      // The hand-off note, and after the call whether the colleague took it.
      comments: 2,
      sms: true,
      task: { whoId: contacts.jane, what: 'case', accountId: accounts.acme },
    },
  };

  const unknown: CallScript = {
    title: 'An unknown number; the caller gives an account number',
    callerNumber: '+14155550142',
    greeting: /^Thanks for calling Northwind support\. How can I help you today\?$/,
    steps: [
      {
        caller: "Hello, our office internet has been down since this morning. I'm calling from my own phone.",
        tool: {
          name: 'createSalesforceCase',
          arguments: { issueType: 'technical', description: 'Office internet down since this morning.' },
        },
        agent: /^Could you tell me your account number\?$/,
      },
      {
        caller: "Sure, it's A C M E, one zero zero one.",
        tool: {
          name: 'createSalesforceCase',
          arguments: {
            accountNumber: 'ACME-1001',
            issueType: 'technical',
            description: 'Office internet down since this morning.',
          },
        },
        agent: new RegExp(`^I've opened case ${SPOKEN_CASE_NUMBER} for your technical issue\\.`),
      },
      { caller: "Great, that's all. Bye!", hangUp: true },
    ],
    summary:
      'An unrecognised caller reported an internet outage for account ACME-1001; a technical case was opened.',
    expect: {
      cases: [{ type: 'Technical', accountId: accounts.acme }],
      comments: 0,
      sms: true,
      task: { what: 'case', accountId: accounts.acme },
    },
  };

  const johnEmail = 'john.smith@acme.example';
  const johnPhone = '+14155550101';
  /** The code Twilio Verify texted to John's phone on file, as the caller reads it out. */
  const johnsCode = (world: DemoWorld): string =>
    world.twilio.verifications.find((item) => item.to === johnPhone && item.status === 'pending')?.code ?? '';
  const john: CallScript = {
    title: 'John Smith checks a case, confirms who he is with a texted code, and changes his email',
    callerNumber: '+14155550101',
    greeting: /^Hi John, thanks for calling Northwind support\. I can see you have an open case\./,
    steps: [
      {
        caller: `What's the status of my case ${caseNumbers.johnRouter}?`,
        tool: { name: 'lookupCase', arguments: { caseNumber: caseNumbers.johnRouter } },
        agent: new RegExp(
          `^Case ${spelled(caseNumbers.johnRouter)}, about "Router keeps dropping .*", is new\\.$`,
        ),
      },
      {
        caller: `And my colleague Jane's case, ${caseNumbers.janeBilling}?`,
        tool: { name: 'lookupCase', arguments: { caseNumber: caseNumbers.janeBilling } },
        // Someone else's case is answered exactly like one that does not exist.
        agent: new RegExp(`^I couldn't find case ${spelled(caseNumbers.janeBilling)} on your account\\.`),
      },
      {
        caller: `Fine. Please change my email to ${johnEmail}.`,
        tool: { name: 'updateContact', arguments: { email: johnEmail } },
        // Caller ID can be faked: a contact change needs a code texted to the number on file first.
        agent: /^For your security I need to confirm it's you before I do that\. I can text a code/,
      },
      {
        caller: 'Sure, text me.',
        tool: { name: 'sendVerificationCode', arguments: {} },
        agent: /^I've texted a code to the phone number on your account ending in 0 1\./,
      },
      {
        caller: (world) =>
          `It's ${johnsCode(world).slice(0, 3).split('').join(' ')}, ${johnsCode(world).slice(3).split('').join(' ')}.`,
        tool: (world) => ({
          name: 'verifyCaller',
          arguments: { code: johnsCode(world).split('').join(' ') },
        }),
        agent: /^Thank you, that's confirmed\.$/,
      },
      {
        caller: 'So, the email?',
        tool: { name: 'updateContact', arguments: { email: johnEmail } },
        agent: /^I've updated your email address\.$/,
      },
      { caller: "That's all, thank you.", hangUp: true },
    ],
    summary:
      'John asked about his router case (status New), confirmed his identity with a texted code and updated his email address.',
    expect: {
      cases: [],
      comments: 0,
      sms: false,
      contactChange: { contactId: contacts.john, fields: { Email: johnEmail } },
      noticeTo: johnPhone,
      task: { whoId: contacts.john, what: 'account', accountId: accounts.acme },
    },
  };

  const maria: CallScript = {
    title: 'Maria Garcia calls while Salesforce is down',
    callerNumber: '+14155550102',
    greeting: /^Hi Maria, thanks for calling Northwind support\./,
    steps: [
      {
        event: 'Salesforce goes down: every data API request now gets 503 SERVER_UNAVAILABLE',
        run: (world) => Promise.resolve(world.salesforce.faults.set({ outage: true })),
      },
      {
        caller: 'Our invoices still show our old office address. Can you fix that?',
        tool: {
          name: 'createSalesforceCase',
          arguments: { issueType: 'account', description: 'Invoices show the old office address.' },
        },
        agent: /^I've noted your request\..*text with your case number/,
      },
      { caller: 'Okay, I will wait for the text. Thanks!', hangUp: true },
    ],
    summary: 'Maria asked to correct the billing address on her invoices; an account case was requested.',
    afterCall: async (context) => {
      const waiting = await context.deliveries();
      const caseWrite = waiting.find((delivery) => delivery.kind === 'salesforce.case.create');
      context.checks.equal('the case waits in the outbox during the outage', caseWrite?.status, 'pending');
      context.checks.equal('no case in Salesforce yet', context.newCases(), 0);
      context.note(
        `Outbox, while Salesforce is down: ${waiting.map((delivery) => `${delivery.kind} ${delivery.status}`).join(', ')}`,
      );
      context.world.salesforce.faults.clear();
      context.event('Salesforce is back: the outbox finishes the writes and texts Maria her case number');
    },
    expect: {
      cases: [{ type: 'Account', contactId: contacts.maria, accountId: accounts.globex }],
      comments: 0,
      sms: true,
      // The call log is queued at the end of the call, before the case exists in Salesforce.
      task: { whoId: contacts.maria, what: 'case', accountId: accounts.globex },
    },
  };

  /**
   * Every word of the Knowledge call in one place: the caller's lines (Spanish: the call comes in on the Spanish
   * line), the question the model passes to searchKnowledge, and what the agent must answer (the published
   * Spanish article, never a draft, an archived version or another language's).
   */
  const knowledgeWords = {
    title:
      'Wei Chen calls the Spanish line, asks how to reset a password, hears the help article, and is handed warmly to a colleague',
    greeting: /^Hola, Wei\. Gracias por llamar a Northwind\./,
    question: '¿Cómo restablezco la contraseña del portal? Creo que la olvidé.',
    toolQuestion: '¿Cómo restablezco la contraseña del portal?',
    answer:
      /^Según nuestro artículo de ayuda "Restablecer la contraseña del portal": Abra la página de inicio de sesión y elija ¿Olvidó su contraseña\?/,
    askForPerson: 'Ya lo intenté y el enlace no llegó. ¿Puedo hablar con alguien?',
    beforeTransfer: /Le comunico ahora con un compañero/,
    summary:
      'Wei preguntó cómo restablecer la contraseña del portal, escuchó el artículo de ayuda y fue transferido a un compañero porque el enlace no llegó.',
  };
  const wei: CallScript = {
    title: knowledgeWords.title,
    line: 'es',
    callerNumber: '+14155550103',
    greeting: knowledgeWords.greeting,
    steps: [
      {
        caller: knowledgeWords.question,
        tool: { name: 'searchKnowledge', arguments: { question: knowledgeWords.toolQuestion } },
        agent: knowledgeWords.answer,
      },
      { caller: knowledgeWords.askForPerson, transfer: true, agent: knowledgeWords.beforeTransfer },
    ],
    summary: knowledgeWords.summary,
    expect: {
      cases: [],
      comments: 0,
      sms: false,
      task: { whoId: contacts.wei, what: 'account', accountId: accounts.initech },
    },
  };

  return [jane, unknown, john, maria, wei];
}
