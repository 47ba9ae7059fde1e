import { request as httpRequest } from 'node:http';
import { hmacHeaders } from '../fakes/vapi-sender/vapi-signing';
import { RunningApp, startApp, TEST_ADMIN_API_KEY, TEST_WEBHOOK_SECRET } from '../support/app-harness';
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

type LogLine = Record<string, unknown> & { path?: string; callId?: string; reqId?: string };

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

    // The access lines are the ones with a response time.
    const paths = linesSince(start)
      .filter((line) => line.responseTime !== undefined)
      .map((line) => line.path);
    expect(paths).toEqual(['/admin/deliveries']);
  });

  it("should put the request's reqId and call id on a service line written during a webhook request", async () => {
    const start = running.logs.lines.length;
    const call = { id: 'call-correlated' };
    const body = JSON.stringify({ message: { type: 'hang', timestamp: Date.now(), call: callObject(call) } });
    // In two parts with a pause between: the body's end then comes from a later read of the socket, outside the
    // context the request entered first.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = httpRequest(`${running.url}/vapi/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...hmacHeaders(TEST_WEBHOOK_SECRET, body) },
      });
      request.on('response', (response) => response.resume().on('end', () => resolve(response.statusCode)));
      request.on('error', reject);
      request.write(body.slice(0, 40));
      setTimeout(() => request.end(body.slice(40)), 50);
    });

    // The workflow logs a hang with the call id; the line must carry the request's ids as well.
    const lines = linesSince(start);
    const hang = lines.find((line) => line.event === 'assistant_hang');
    const access = lines.find((line) => line.msg === 'request completed');
    expect(status).toBe(200);
    expect(hang).toMatchObject({
      context: 'CallWorkflowService',
      callId: call.id,
      reqId: expect.any(String),
    });
    expect(access?.reqId).toBe(hang?.reqId);
  });

  it("should keep each request's ids on its own lines when several webhooks are handled at once", async () => {
    const start = running.logs.lines.length;
    const calls = Array.from({ length: 6 }, (_, n) => ({ id: `call-together-${n}` }));
    const replies = await Promise.all(
      calls.map((call) =>
        postWebhook(running.url, {
          message: { type: 'hang', timestamp: Date.now(), call: callObject(call) },
        }),
      ),
    );

    expect(replies.map((reply) => reply.status)).toEqual(calls.map(() => 200));
    const lines = linesSince(start);
    const reqIds = calls.map((call) => {
      const hang = lines.find((line) => line.event === 'assistant_hang' && line.callId === call.id);
      const access = lines.find((line) => line.msg === 'request completed' && line.callId === call.id);
      expect(hang?.reqId).toEqual(expect.any(String));
      expect(access?.reqId).toBe(hang?.reqId);
      return hang?.reqId;
    });
    expect(new Set(reqIds).size).toBe(calls.length);
  });

  it('should write one access line per request with method, path, status, response time and ids', async () => {
    const start = running.logs.lines.length;
    const call = { id: 'call-access-line' };
    await postWebhook(running.url, statusUpdateMessage(call, 'in-progress'));
    await (
      await fetch(`${running.url}/admin/deliveries?status=dead&token=query-secret-123`, {
        headers: { 'x-api-key': TEST_ADMIN_API_KEY },
      })
    ).arrayBuffer();

    const access = linesSince(start).filter((line) => line.responseTime !== undefined);
    expect(access).toEqual([
      expect.objectContaining({
        msg: 'request completed',
        method: 'POST',
        path: '/vapi/webhook',
        status: 200,
        responseTime: expect.any(Number),
        reqId: expect.any(String),
        callId: call.id,
      }),
      expect.objectContaining({ method: 'GET', path: '/admin/deliveries', status: 200 }),
    ]);
    expect(access[0].reqId).not.toBe(access[1].reqId);
    expect(access[1]).not.toHaveProperty('callId');
    expect(running.logs.lines.slice(start).join('\n')).not.toContain('query-secret-123');
  });

  it('should keep the caller number, the secret and the signature out of the lines of a webhook request', async () => {
    const start = running.logs.lines.length;
    const payload = statusUpdateMessage(
      { id: 'call-private', customerNumber: '+14155550177' },
      'in-progress',
    );
    const signed = hmacHeaders(TEST_WEBHOOK_SECRET, JSON.stringify(payload));
    const reply = await postWebhook(running.url, payload, { headers: signed });
    // Refused ones too: the guard logs why, never with the header values.
    await postWebhook(running.url, payload, { headers: { ...signed, 'x-signature': 'ab'.repeat(32) } });

    expect(reply.status).toBe(200);
    const written = running.logs.lines.slice(start).join('\n');
    expect(written).toContain('call-private');
    for (const secret of [
      '+14155550177',
      '4155550177',
      TEST_WEBHOOK_SECRET,
      signed['x-signature'],
      'ab'.repeat(32),
    ])
      expect(written).not.toContain(secret);
  });

  it('should write no request ids on lines written outside a request', () => {
    const started = running.logs.lines
      .map((line) => JSON.parse(line) as LogLine)
      .find((line) => line.msg === 'Nest application successfully started');
    expect(started).toBeDefined();
    expect(started).not.toHaveProperty('reqId');
    expect(started).not.toHaveProperty('callId');
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
