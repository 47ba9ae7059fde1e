import { CallWorld } from '../support/call-harness';
import type { Database } from '../../src/store/database.factory';
import { DATABASE } from '../../src/store/store.tokens';
import { casesOf, newCall, newToolCallId, seedCaller } from '../support/call-driver';
import { assistantRequestMessage, endOfCallReportMessage, toolCallsMessage } from '../support/vapi-payloads';
import { postWebhook, WebhookReply } from '../support/webhook-client';
import { FaultFigures, secondsUntil } from './fault-report';

/** What one simulated call did and was told. */
export interface CallRun {
  callId: string;
  contactId: string;
  /** Every message got a valid answer (after VAPI-style retries of 503). */
  carried: boolean;
  caseAcknowledged: boolean;
  fallback: boolean;
  taskAcknowledged: boolean;
  retried: number;
}

/** VAPI with `server.backoffPlan`: a 5xx is sent again (here at once, up to `retries` times). */
export async function postAsVapi(
  url: string,
  payload: unknown,
  retries = 3,
): Promise<{ reply: WebhookReply; retried: number }> {
  let retried = 0;
  for (;;) {
    let reply: WebhookReply;
    try {
      reply = await postWebhook(url, payload);
    } catch {
      reply = { status: 599, body: {} };
    }
    if (reply.status < 500 || retried >= retries) return { reply, retried };
    retried += 1;
    await new Promise((resolve) => setTimeout(resolve, 200 * retried));
  }
}

/**
 * One call as VAPI drives it: the assistant request, a case opened by the agent, the end-of-call report.
 * Messages answered 5xx are retried like VAPI's backoff plan would.
 */
export async function runCall(world: CallWorld, index: number, retries = 3): Promise<CallRun> {
  const caller = seedCaller(world);
  const call = newCall(caller.phone);
  const url = world.app.url;
  const greeting = await postAsVapi(url, assistantRequestMessage(call), retries);
  const description = `Fault suite request ${index} ${call.id}`;
  const tool = await postAsVapi(
    url,
    toolCallsMessage(call, [
      {
        id: newToolCallId(),
        name: 'createSalesforceCase',
        arguments: { issueType: 'technical', description },
      },
    ]),
    retries,
  );
  const [answer] = (tool.reply.body.results ?? []) as { result?: string; error?: string }[];
  const spoken = answer?.result ?? answer?.error ?? '';
  const report = await postAsVapi(
    url,
    endOfCallReportMessage(call, { transcript: `User: ${description}` }),
    retries,
  );
  const caseAcknowledged =
    spoken.startsWith("I've opened case") || spoken.startsWith("I've noted your request");
  return {
    callId: call.id,
    contactId: caller.contactId,
    carried: [greeting, tool, report].every(({ reply }) => reply.status === 200),
    caseAcknowledged,
    fallback: !spoken.startsWith("I've opened case"),
    taskAcknowledged: report.reply.status === 200,
    retried: greeting.retried + tool.retried + report.retried,
  };
}

/** Runs `count` calls, `parallel` at a time. */
export async function runCalls(
  world: CallWorld,
  count: number,
  parallel = 4,
  retries = 3,
): Promise<CallRun[]> {
  const runs: CallRun[] = [];
  for (let start = 0; start < count; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - start) }, (_unused, offset) =>
      runCall(world, start + offset, retries),
    );
    runs.push(...(await Promise.all(batch)));
  }
  return runs;
}

/** Waits for every call's outbox to settle, then counts acknowledged writes lost or duplicated. */
export async function settleAndCount(
  world: CallWorld,
  scenario: string,
  runs: CallRun[],
  faultEndedAt: number,
  timeoutMs = 90_000,
): Promise<FaultFigures> {
  const db = world.app.app.get<Database>(DATABASE);
  const callIds = runs.map((run) => run.callId);
  await secondsUntil(async () => {
    const pending = await db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('call_id', 'in', callIds)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(pending.count) === 0;
  }, timeoutMs);
  const recoverySeconds = (Date.now() - faultEndedAt) / 1000;
  let lost = 0;
  let duplicated = 0;
  for (const run of runs) {
    const cases = casesOf(world, run.contactId).length;
    const tasks = world.salesforce.records('Task').filter((task) => task.CallObject === run.callId).length;
    if (run.caseAcknowledged && cases === 0) lost += 1;
    if (cases > 1) duplicated += cases - 1;
    if (run.taskAcknowledged && tasks === 0) lost += 1;
    if (tasks > 1) duplicated += tasks - 1;
  }
  return {
    scenario,
    callsCarried: `${runs.filter((run) => run.carried).length}/${runs.length}`,
    fallbacksSpoken: runs.filter((run) => run.fallback).length,
    retried: runs.reduce((sum, run) => sum + run.retried, 0),
    lost,
    duplicated,
    recoverySeconds,
  };
}
