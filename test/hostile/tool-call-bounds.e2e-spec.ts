import { LOCALES } from '../../src/calls/voice/locales';
import { VapiErrorCode } from '../../src/vapi/vapi.errors';
import { CallWorld, startCallWorld } from '../support/call-harness';
import { newCall, newToolCallId } from '../support/call-driver';
import { vapiSchemaErrors } from '../support/vapi-openapi';
import { toolCallsMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

const ENGLISH = LOCALES.en.sentences;

const JANE = '+14155550100';
const MAX_PER_MESSAGE = 16;
const DEADLINE_MS = 1_500;
/** How long a hung Salesforce request would wait for its own timeout: far beyond the deadline. */
const SALESFORCE_TIMEOUT_MS = 6_000;

interface ToolResult {
  toolCallId: string;
  result?: string;
  error?: string;
}

const overLimit = ENGLISH.failures.frontDoor[VapiErrorCode.TOO_MANY_TOOL_CALLS];
const tooSlow = ENGLISH.failures.frontDoor[VapiErrorCode.TOOL_DEADLINE];

function lookups(count: number) {
  return Array.from({ length: count }, () => ({
    id: newToolCallId(),
    name: 'lookupCase',
    arguments: {},
  }));
}

function apiRequests(world: CallWorld): number {
  return Object.values(world.salesforce.stats.apiRequests).reduce((sum, count) => sum + count, 0);
}

describe('bounds on the tool calls of one message', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld({
      VAPI_MAX_TOOL_CALLS_PER_MESSAGE: String(MAX_PER_MESSAGE),
      VAPI_TOOL_CONCURRENCY: '4',
      TOOL_DEADLINE_MS: String(DEADLINE_MS),
      TOOL_WRITE_BUDGET_MS: '1000',
      SALESFORCE_REQUEST_TIMEOUT_MS: String(SALESFORCE_TIMEOUT_MS),
    });
  });
  afterAll(() => world.close(), 20_000);
  afterEach(() => world.salesforce.faults.clear());

  it('should run at most the per-message limit and answer every other call with an error sentence', async () => {
    const calls = lookups(2_000);
    const oneLookup = apiRequests(world);
    await postWebhook(world.app.url, toolCallsMessage(newCall(JANE), lookups(1)));
    const perLookup = apiRequests(world) - oneLookup;
    expect(perLookup).toBeGreaterThan(0);

    const before = apiRequests(world);
    const reply = await postWebhook(world.app.url, toolCallsMessage(newCall(JANE), calls));

    expect(reply.status).toBe(200);
    const results = reply.body.results as ToolResult[];
    expect(results.map((result) => result.toolCallId)).toEqual(calls.map((call) => call.id));
    expect(results.slice(0, MAX_PER_MESSAGE).every((result) => result.result !== undefined)).toBe(true);
    expect(results.slice(MAX_PER_MESSAGE).every((result) => result.error === overLimit)).toBe(true);
    // 2,000 lookups once cost 6,000 Salesforce requests; only the admitted ones reach it now.
    expect(apiRequests(world) - before).toBeLessThanOrEqual(MAX_PER_MESSAGE * perLookup);
  });

  it('should answer 5,000 tool calls in one message while liveness keeps answering', async () => {
    // Salesforce hangs, so the message is still in flight until the deadline.
    world.salesforce.faults.set({ hang: true });
    const calls = lookups(5_000);
    let bigAnswered = false;
    const big = postWebhook(world.app.url, toolCallsMessage(newCall(JANE), calls)).finally(() => {
      bigAnswered = true;
    });

    const livenessWhileInFlight: number[] = [];
    while (!bigAnswered) {
      const response = await fetch(`${world.app.url}/health/live`);
      if (!bigAnswered) livenessWhileInFlight.push(response.status);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const reply = await big;

    expect(livenessWhileInFlight.length).toBeGreaterThan(0);
    expect(livenessWhileInFlight.every((status) => status === 200)).toBe(true);
    expect(reply.status).toBe(200);
    expect(vapiSchemaErrors('ServerMessageResponseToolCalls', reply.body)).toEqual([]);
    const results = reply.body.results as ToolResult[];
    expect(results).toHaveLength(5_000);
    expect(results.slice(0, MAX_PER_MESSAGE).every((result) => result.error === tooSlow)).toBe(true);
    expect(results.slice(MAX_PER_MESSAGE).every((result) => result.error === overLimit)).toBe(true);
  }, 20_000);

  it('should answer every tool call by its deadline while Salesforce hangs', async () => {
    world.salesforce.faults.set({ hang: true });
    const messages = Array.from({ length: 10 }, () => lookups(4));

    const replies = await Promise.all(
      messages.map(async (calls) => {
        const startedMs = Date.now();
        const reply = await postWebhook(world.app.url, toolCallsMessage(newCall(JANE), calls));
        return { reply, elapsedMs: Date.now() - startedMs };
      }),
    );

    for (const { reply, elapsedMs } of replies) {
      expect(reply.status).toBe(200);
      expect((reply.body.results as ToolResult[]).map((result) => result.error)).toEqual(
        Array(4).fill(tooSlow),
      );
      // Not a speed figure: without the deadline each answer waits for Salesforce's own timeout (6 s here).
      expect(elapsedMs).toBeLessThan(SALESFORCE_TIMEOUT_MS);
    }
  }, 25_000);
});
