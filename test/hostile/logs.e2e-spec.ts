import { RunningApp, startApp, TEST_ADMIN_API_KEY } from '../support/app-harness';
import { eventually } from '../support/call-harness';
import { ProbeTool } from '../support/probe-tool';
import { parseStrictJson } from '../support/strict-json';
import {
  callObject,
  endOfCallReportMessage,
  statusUpdateMessage,
  toolCallsMessage,
} from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

type LogLine = Record<string, unknown> & { req?: { url?: string }; callId?: string };

describe('log lines', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp({}, { extraProviders: [{ provide: ProbeTool, useValue: new ProbeTool() }] });
  });
  afterAll(() => running.close());

  const linesSince = (start: number): LogLine[] =>
    running.logs.lines.slice(start).map((line) => JSON.parse(line) as LogLine);

  it('should not log health probes and metrics scrapes, and log other requests with their real path', async () => {
    const start = running.logs.lines.length;
    for (const path of ['/health/live', '/health/ready', '/metrics', '/health/live']) {
      await (await fetch(`${running.url}${path}`)).arrayBuffer();
    }
    await (
      await fetch(`${running.url}/admin/deliveries`, { headers: { 'x-api-key': TEST_ADMIN_API_KEY } })
    ).arrayBuffer();

    // The access lines (pino-http's, with a response time); lines a handler writes carry `req` as well.
    const urls = linesSince(start)
      .filter((line) => line.responseTime !== undefined)
      .map((line) => line.req?.url)
      .filter((url) => url !== undefined);
    expect(urls).toEqual(['/admin/deliveries']);
  });

  it('should write every line as strict JSON with at most one callId key', async () => {
    const start = running.logs.lines.length;
    const call = { id: 'call-one-key' };
    await postWebhook(running.url, statusUpdateMessage(call, 'in-progress'));
    // The workflow logs this one with the call id as a field, in a request that already carries it.
    await postWebhook(running.url, {
      message: { type: 'hang', timestamp: Date.now(), call: callObject(call) },
    });
    await postWebhook(
      running.url,
      endOfCallReportMessage(call, { transcript: 'User: hello', summary: 'Hello' }),
    );

    const written = running.logs.lines.slice(start);
    const withCallId = written.filter((line) => line.includes('"callId"'));
    expect(written.some((line) => line.includes('"assistant_hang"'))).toBe(true);
    expect(withCallId.length).toBeGreaterThan(2);
    for (const line of written) expect(() => parseStrictJson(line)).not.toThrow();
  });

  it('should write a line per delivery attempt with its id, kind, attempt number and call', async () => {
    const call = { id: 'call-delivery-line' };
    await postWebhook(running.url, endOfCallReportMessage(call, { transcript: 'User: hi', summary: 'Hi' }));

    // Salesforce is unreachable here, so the call log's first attempt fails and is retried.
    const line = await eventually(() =>
      running.logs.lines
        .map((text) => JSON.parse(text) as LogLine)
        .find((entry) => entry.event === 'delivery_attempt' && entry.callId === call.id),
    );
    expect(line).toMatchObject({ kind: expect.any(String), attempt: 1, outcome: 'retry' });
    expect(typeof line.deliveryId).toBe('number');
  });

  it('should write one line per tool call with tool, outcome and duration, and without the arguments', async () => {
    const start = running.logs.lines.length;
    await postWebhook(
      running.url,
      toolCallsMessage({ id: 'call-tool-lines' }, [
        {
          id: 'tc-line-1',
          name: 'probeTool',
          arguments: { accountNumber: 'ACCT-SECRET-1', behaviour: 'succeed' },
        },
        {
          id: 'tc-line-2',
          name: 'probeTool',
          arguments: { accountNumber: 'ACCT-SECRET-2', behaviour: 'throw' },
        },
        { id: 'tc-line-3', name: 'noSuchTool', arguments: {} },
      ]),
    );

    const toolLines = linesSince(start).filter((line) => line.event === 'tool_call');
    expect(toolLines.map(({ tool, outcome }) => ({ tool, outcome }))).toEqual(
      expect.arrayContaining([
        { tool: 'probeTool', outcome: 'ok' },
        { tool: 'probeTool', outcome: 'failed' },
        { tool: 'unknown', outcome: 'unknown_tool' },
      ]),
    );
    expect(toolLines).toHaveLength(3);
    for (const line of toolLines) {
      expect(typeof line.durationMs).toBe('number');
      expect(line.callId).toBe('call-tool-lines');
    }
    expect(running.logs.lines.slice(start).join('\n')).not.toContain('ACCT-SECRET');
  });
});
