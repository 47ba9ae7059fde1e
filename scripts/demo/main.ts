/**
 * `npm run demo`: five scripted phone calls through the real service, end to end, on loopback only.
 *
 * Starts local fakes of Salesforce (seeded demo org), Twilio and the VAPI API, then the service itself twice
 * (`node build/src/main.js`: an English and a Spanish line, SQLite in a temp directory, JWT bearer flow against
 * the fake), plays each call as
 * signed VAPI webhooks, prints it as a conversation and then the records it left in Salesforce. Every step is
 * checked; the first step that misbehaves ends the demo with exit code 1, after cleaning up.
 */
import { AfterCallContext, CallScript, demoCalls, OutboxDelivery } from './calls';
import { Checks, DemoFailure, waitFor } from './checks';
import { aside, describeArguments, event, heading, line, speak, style } from './print';
import { checkProducts, printProducts, productsSince, takeSnapshot } from './records';
import { DemoCall, TranscriptLine, VapiWebhookClient, WebhookReply } from './vapi-client';
import { COMPANY_NAME, DemoWorld, ServiceLine, SMS_FROM, startDemoWorld, SUPPORT_LINE } from './world';

const TOTAL_BUDGET_MS = 60_000;
const START_BUDGET_MS = 20_000;
/** Per call: until its outbox writes (case, comment, SMS, call log) have all landed. */
const SETTLE_BUDGET_MS = 15_000;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const obj = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

/** Seconds a real call would have taken to say these lines (about 2.5 words a second, plus pauses). */
function conversationSeconds(lines: TranscriptLine[]): number {
  return Math.round(lines.reduce((total, entry) => total + entry.text.split(/\s+/).length / 2.5 + 1.5, 0));
}

async function callDeliveries(service: ServiceLine, callId: string): Promise<OutboxDelivery[]> {
  const reply = await service.admin(`/admin/calls/${encodeURIComponent(callId)}`);
  if (reply.status !== 200) throw new Error(`GET /admin/calls/${callId} answered HTTP ${reply.status}`);
  const deliveries = obj(reply.body).deliveries;
  return Array.isArray(deliveries) ? (deliveries as OutboxDelivery[]) : [];
}

function acknowledged(checks: Checks, what: string, reply: WebhookReply): void {
  checks.equal(`${what} answered 200`, reply.status, 200);
}

async function playCall(
  world: DemoWorld,
  client: VapiWebhookClient,
  checks: Checks,
  script: CallScript,
): Promise<void> {
  const service = script.line === 'es' ? world.spanishLine : world;
  const before = takeSnapshot(world);
  const call = new DemoCall(client, script.callerNumber);
  const transcript: TranscriptLine[] = [];
  const agentSays = (text: string) => {
    speak('Agent', text);
    transcript.push({ role: 'AI', text });
  };
  line(style.dim(`  ${script.callerNumber} calls ${SMS_FROM} · VAPI call ${call.id}`));

  const answer = await call.assistantRequest();
  acknowledged(checks, 'assistant-request', answer);
  const assistant = obj(answer.body.assistant);
  const greeting = str(assistant.firstMessage);
  checks.matches('greeting', greeting, script.greeting);
  agentSays(greeting ?? '');
  acknowledged(checks, 'status-update in-progress', await call.statusUpdate('in-progress'));

  let spokenCaseNumber: string | undefined;
  let endedReason = 'customer-ended-call';
  for (const step of script.steps) {
    if ('event' in step) {
      event(step.event);
      await step.run(world);
      continue;
    }
    const said = typeof step.caller === 'function' ? step.caller(world) : step.caller;
    speak('Caller', said);
    transcript.push({ role: 'User', text: said });
    if ('tool' in step) {
      const tool = typeof step.tool === 'function' ? step.tool(world) : step.tool;
      aside(`↳ ${tool.name}(${describeArguments(tool.arguments)})`);
      const { ids, reply } = await call.toolCalls([tool]);
      acknowledged(checks, `tool call ${tool.name}`, reply);
      const results = Array.isArray(reply.body.results) ? reply.body.results.map(obj) : [];
      checks.equal('one result for one tool call', results.length, 1);
      checks.equal('the result answers our toolCallId', results[0]?.toolCallId, ids[0]);
      const spoken = str(results[0]?.result) ?? str(results[0]?.error);
      const groups = checks.matches(`what the agent says after ${tool.name}`, spoken, step.agent);
      if (groups.caseNumber) spokenCaseNumber = groups.caseNumber.replace(/ /g, '');
      agentSays(spoken ?? '');
      if (tool.name === 'sendVerificationCode') {
        const texted = world.twilio.verifications[world.twilio.verifications.length - 1];
        aside(`↳ Twilio Verify texts a one-time code to ${texted?.to ?? '?'}, the number on file`);
      }
    } else if ('transfer' in step) {
      aside('↳ transferCall (no destination of its own: VAPI asks the server where to)');
      const reply = await call.transferDestinationRequest();
      acknowledged(checks, 'transfer-destination-request', reply);
      const destination = obj(reply.body.destination);
      checks.equal('transfer destination', destination.number, SUPPORT_LINE);
      const spoken = str(destination.message) ?? str(reply.body.message);
      checks.matches('what the agent says before the transfer', spoken, step.agent);
      agentSays(spoken ?? '');
      const plan = obj(destination.transferPlan);
      checks.equal('a warm transfer (TRANSFER_MODE=warm)', plan.mode, 'warm-transfer-say-message');
      checks.equal('a busy line comes back to the agent', obj(plan.fallbackPlan).endCallEnabled, false);
      aside(`↳ VAPI dials ${SUPPORT_LINE} and briefs the colleague: "${str(plan.message) ?? ''}"`);
      aside(`↳ call forwarded to the support line ${SUPPORT_LINE}`);
      endedReason = 'assistant-forwarded-call';
    } else {
      const goodbye = str(assistant.endCallMessage);
      checks.matches('the goodbye', goodbye, new RegExp(`${COMPANY_NAME}\\. Goodbye\\.$`));
      agentSays(goodbye ?? '');
    }
  }

  const endedAt = new Date();
  const startedAt = new Date(endedAt.getTime() - conversationSeconds(transcript) * 1000);
  acknowledged(checks, 'status-update ended', await call.statusUpdate('ended', endedReason));
  const report = await call.endOfCallReport({
    lines: transcript,
    summary: script.summary,
    endedReason,
    startedAt,
    endedAt,
  });
  acknowledged(checks, 'end-of-call-report', report);
  aside(`↳ call ended (${endedReason}); end-of-call report sent`);

  if (script.afterCall) {
    const context: AfterCallContext = {
      world,
      checks,
      deliveries: () => callDeliveries(service, call.id),
      newCases: () => productsSince(world, before).cases.length,
      event,
      note: (text) => aside(text),
    };
    await script.afterCall(context);
  }

  const deliveries = await waitFor(
    "the outbox finishing the call's writes",
    'every write of the call delivered, the call log (Task) among them',
    async () => {
      const list = await callDeliveries(service, call.id);
      const seen = list.map((delivery) => `${delivery.kind}: ${delivery.status}`);
      const done =
        list.some((delivery) => delivery.kind === 'salesforce.task.create') &&
        (!script.expect.sms || list.some((delivery) => delivery.kind === 'twilio.sms.send')) &&
        list.every((delivery) => delivery.status !== 'pending');
      return done ? { value: list, seen } : { seen };
    },
    SETTLE_BUDGET_MS,
  );
  for (const delivery of deliveries) {
    checks.equal(`outbox ${delivery.kind}`, delivery.status, 'succeeded');
  }
  const retried = deliveries.filter((delivery) => delivery.attempts > 1);
  if (retried.length > 0) {
    aside(
      `↳ delivered after retries: ${retried.map((delivery) => `${delivery.kind} (${delivery.attempts} attempts)`).join(', ')}`,
    );
  }

  line();
  const products = productsSince(world, before);
  checkProducts(checks, products, script.expect, {
    id: call.id,
    callerNumber: script.callerNumber,
    spokenCaseNumber,
  });
  printProducts(world, products);
  line(style.green(`  ✓ ${checks.sinceMark()} checks passed`));
}

function printHeader(world: DemoWorld): void {
  const count = (type: string) => world.salesforce.records(type).length;
  line(style.bold('voice-crm demo: five phone calls through the real service, on loopback only'));
  const rows: [string, string, string][] = [
    [
      'Salesforce fake',
      world.salesforce.url,
      `demo org: ${count('Account')} accounts, ${count('Contact')} contacts, ${count('Case')} cases`,
    ],
    ['Twilio fake', world.twilio.url, `SMS from ${SMS_FROM}`],
    ['VAPI API fake', world.vapiApi.url, 'for the call reconciler'],
    ['voice-crm', world.serviceUrl, `node build/src/main.js · English line · SQLite in ${world.dataDir}`],
    [
      'voice-crm (es)',
      world.spanishLine.serviceUrl,
      'the same build · ASSISTANT_LANGUAGE=es · its own SQLite file',
    ],
  ];
  for (const [name, url, what] of rows) line(`  ${name.padEnd(18)}${url.padEnd(25)}${style.dim(what)}`);
  line(
    style.dim(
      '  The service signs in to Salesforce with the JWT bearer flow; webhooks are HMAC-signed as by VAPI.',
    ),
  );
  line(style.dim('  Every "Agent" line below is what the service answered; every step is checked.'));
}

async function run(checks: Checks, onWorld: (world: DemoWorld) => void): Promise<number> {
  const world = await startDemoWorld(START_BUDGET_MS);
  onWorld(world);
  printHeader(world);
  const clients = {
    en: new VapiWebhookClient(world.serviceUrl, world.webhookSecret),
    es: new VapiWebhookClient(world.spanishLine.serviceUrl, world.webhookSecret),
  };
  const caseNumbers = Object.fromEntries(
    Object.entries(world.org.cases).map(([key, id]) => [
      key,
      String(world.salesforce.record('Case', id)?.CaseNumber),
    ]),
  ) as Record<keyof DemoWorld['org']['cases'], string>;
  const scripts = demoCalls(world.org, caseNumbers);
  for (const [index, script] of scripts.entries()) {
    heading(`Call ${index + 1} of ${scripts.length} · ${script.title}`);
    await playCall(world, clients[script.line ?? 'en'], checks, script);
  }
  return scripts.length;
}

async function main(): Promise<void> {
  const started = Date.now();
  const checks = new Checks();
  let world: DemoWorld | undefined;
  let deadline: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<never>((_, reject) => {
    deadline = setTimeout(
      () =>
        reject(new DemoFailure('the whole demo', `done within ${TOTAL_BUDGET_MS / 1000} s`, 'still running')),
      TOTAL_BUDGET_MS,
    );
  });
  process.once('SIGINT', () => {
    void (world?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  });
  let exitCode = 0;
  try {
    const calls = await Promise.race([run(checks, (running) => (world = running)), outOfTime]);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    line();
    line(style.green(style.bold(`✓ ${calls} calls, ${checks.total} checks passed in ${seconds} s`)));
  } catch (error) {
    exitCode = 1;
    line();
    if (error instanceof DemoFailure) {
      line(style.red(style.bold(`✗ Failed: ${error.check}`)));
      line(`    expected: ${error.expected}`);
      line(`    found:    ${error.found}`);
    } else {
      line(
        style.red(style.bold(`✗ The demo broke: ${error instanceof Error ? error.message : String(error)}`)),
      );
    }
    const lines: [string, ServiceLine | undefined][] = [
      ['English line', world],
      ['Spanish line', world?.spanishLine],
    ];
    for (const [name, service] of lines) {
      const log = service?.serviceLog().trim().split('\n').slice(-15).filter(Boolean) ?? [];
      if (log.length === 0) continue;
      line(style.dim(`  Last lines the ${name} logged (warnings and errors):`));
      for (const entry of log) line(style.dim(`    ${entry.slice(0, 300)}`));
    }
    line(style.red(`${checks.total} checks passed before the failure.`));
  } finally {
    clearTimeout(deadline);
    await world?.close();
  }
  process.exit(exitCode);
}

void main();
