import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../src/store/database.factory';
import { DATABASE } from '../../src/store/store.tokens';
import { CallWorld, eventually, startCallWorld } from '../support/call-harness';
import {
  callTool,
  casesOf,
  deliveriesSettled,
  newCall,
  newToolCallId,
  seedCaller,
} from '../support/call-driver';
import { createTestDatabase, terminateBackends, TestDatabase } from '../support/test-database';
import {
  assistantRequestMessage,
  endOfCallReportMessage,
  statusUpdateMessage,
} from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

const tasksOf = (world: CallWorld, callId: string) =>
  world.salesforce.records('Task').filter((task) => task.CallObject === callId);

async function readiness(world: CallWorld): Promise<{ status: number; store: unknown }> {
  const response = await fetch(`${world.app.url}/health/ready`);
  const body = (await response.json()) as { details?: Record<string, { status: string }> };
  return { status: response.status, store: body.details?.store };
}

describe('a SQLite store that refuses writes', () => {
  let world: CallWorld;
  let db: Database;
  beforeAll(async () => {
    world = await startCallWorld();
    db = world.app.app.get<Database>(DATABASE);
  });
  afterAll(() => world.close());
  // `query_only` makes SQLite refuse every write on the app's own connection with SQLITE_READONLY, as a
  // read-only file, directory or mount does.
  const setReadOnly = (on: boolean) => sql.raw(`pragma query_only = ${on ? 'on' : 'off'}`).execute(db);
  afterEach(() => setReadOnly(false));

  it('should answer an end-of-call report 503 while it cannot be stored, and log the call once it can', async () => {
    const call = newCall('+14155550100');
    const report = endOfCallReportMessage(call, { transcript: 'User: My order never arrived.' });
    await setReadOnly(true);

    const refused = await postWebhook(world.app.url, report);

    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: 'not_stored' });
    const metrics = await (await fetch(`${world.app.url}/metrics`)).text();
    expect(metrics).toContain(
      'vapi_webhook_requests_total{type="end-of-call-report",outcome="not_stored"} 1\n',
    );
    expect(
      await world.app.app
        .get<Database>(DATABASE)
        .selectFrom('deliveries')
        .selectAll()
        .where('call_id', '=', call.id)
        .execute(),
    ).toEqual([]);

    await setReadOnly(false);
    // VAPI's retry (server.backoffPlan) of the same message.
    expect(await postWebhook(world.app.url, report)).toEqual({ status: 200, body: {} });
    await eventually(() => tasksOf(world, call.id).length === 1);
  });

  it('should answer a status update 503 and store it on the retry (no cache of the failed write)', async () => {
    const call = newCall();
    await setReadOnly(true);
    expect((await postWebhook(world.app.url, statusUpdateMessage(call, 'in-progress'))).status).toBe(503);
    await setReadOnly(false);

    expect((await postWebhook(world.app.url, statusUpdateMessage(call, 'in-progress'))).status).toBe(200);

    const row = await db.selectFrom('calls').selectAll().where('id', '=', call.id).executeTakeFirst();
    expect(row?.status).toBe('in-progress');
  });

  it('should report the store down on /health/ready while it cannot write, and up again after', async () => {
    expect(await readiness(world)).toMatchObject({ status: 200, store: { status: 'up', writable: true } });
    await setReadOnly(true);

    expect(await readiness(world)).toMatchObject({
      status: 503,
      store: { status: 'down', writable: false, error: 'READ_ONLY' },
    });

    await setReadOnly(false);
    expect(await readiness(world)).toMatchObject({ status: 200, store: { status: 'up' } });
  });

  it('should still answer a tool call with a spoken sentence (nothing was accepted)', async () => {
    const caller = seedCaller(world);
    const call = newCall(caller.phone);
    await setReadOnly(true);

    const reply = await postWebhook(world.app.url, {
      message: {
        type: 'tool-calls',
        call: { id: call.id, customer: { number: caller.phone } },
        toolCallList: [
          {
            id: newToolCallId(),
            type: 'function',
            function: {
              name: 'createSalesforceCase',
              arguments: { issueType: 'billing', description: 'x y z' },
            },
          },
        ],
      },
    });

    expect(reply.status).toBe(200);
    const [result] = reply.body.results as { error?: string; result?: string }[];
    expect(result.error ?? result.result).toBeTruthy();
    expect(casesOf(world, caller.contactId)).toHaveLength(0);
  });
});

describe('tool answers of two calls reusing one toolCallId', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld();
  });
  afterAll(() => world.close());

  it('should give each call its own answer and its own case', async () => {
    const first = seedCaller(world);
    const second = seedCaller(world);
    const toolCallId = newToolCallId();
    const request = { issueType: 'billing', description: 'Charged twice for October' };

    const firstAnswer = await callTool(
      world,
      newCall(first.phone),
      'createSalesforceCase',
      request,
      toolCallId,
    );
    const secondAnswer = await callTool(
      world,
      newCall(second.phone),
      'createSalesforceCase',
      request,
      toolCallId,
    );

    const [firstCase] = casesOf(world, first.contactId);
    const [secondCase] = casesOf(world, second.contactId);
    expect(secondCase).toBeDefined();
    expect(firstAnswer).toContain(String(firstCase.CaseNumber).split('').join(' '));
    expect(secondAnswer).toContain(String(secondCase.CaseNumber).split('').join(' '));
    expect(secondAnswer).not.toBe(firstAnswer);
  });
});

describe('a PostgreSQL store', () => {
  let database: TestDatabase;
  let world: CallWorld;
  const applicationName = `voice-crm-e2e-${randomUUID().slice(0, 8)}`;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const url = new URL(database.url);
    url.searchParams.set('application_name', applicationName);
    world = await startCallWorld({ DATABASE_URL: url.toString() });
  });
  afterAll(async () => {
    await world.close();
    await database.drop();
  });

  /** What a failover, a restart or a connection reaper does to the service's connections. */
  const terminateConnections = () => terminateBackends(applicationName);

  it('should keep answering and writing after its idle connections are terminated', async () => {
    await postWebhook(world.app.url, assistantRequestMessage(newCall()));
    expect(await terminateConnections()).toBeGreaterThan(0);
    // Let the terminated sockets' 'error' events arrive: without a listener they end the process.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const call = newCall('+14155550100');
    expect(
      await postWebhook(world.app.url, endOfCallReportMessage(call, { transcript: 'User: Hi.' })),
    ).toEqual({
      status: 200,
      body: {},
    });
    await eventually(() => tasksOf(world, call.id).length === 1);
    expect((await readiness(world)).status).toBe(200);
  });

  it('should never acknowledge a report it did not store while connections are terminated under load', async () => {
    const calls = Array.from({ length: 40 }, () => newCall('+14155550100'));
    const replies = calls.map((call) =>
      postWebhook(world.app.url, endOfCallReportMessage(call, { transcript: 'User: Under load.' })),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await terminateConnections();
    const answered = await Promise.all(replies);

    // Every 200 has its Task; every other answer is a 503 that VAPI retries.
    const acknowledged = calls.filter((_call, index) => answered[index].status === 200);
    for (const reply of answered) expect([200, 503]).toContain(reply.status);
    for (const call of calls.filter((_call, index) => answered[index].status !== 200)) {
      expect(
        (await postWebhook(world.app.url, endOfCallReportMessage(call, { transcript: 'User: Under load.' })))
          .status,
      ).toBe(200);
    }
    await eventually(() => calls.every((call) => tasksOf(world, call.id).length === 1), 20_000);
    expect(acknowledged.length).toBeGreaterThan(0);
  });

  it('should store a report whose endedReason holds a NUL character instead of failing it', async () => {
    const call = newCall('+14155550100');
    const report = endOfCallReportMessage(call, {
      transcript: 'User: Hi.',
      endedReason: 'customer\u0000ended',
    });

    expect(await postWebhook(world.app.url, report)).toEqual({ status: 200, body: {} });

    const db = world.app.app.get<Database>(DATABASE);
    const row = await db.selectFrom('calls').selectAll().where('id', '=', call.id).executeTakeFirstOrThrow();
    expect(row.ended_reason).toBe('customer\uFFFDended');
    await eventually(() => deliveriesSettled(world, call.id));
    expect(tasksOf(world, call.id)).toHaveLength(1);
  });

  it.each(['not a date', '+275760-09-13T00:00:00.001Z', '99999999-01-01', '2026-13-45T99:99:99Z', ''])(
    'should store a report whose endedAt is %j, with the time it arrived',
    async (endedAt) => {
      const call = newCall('+14155550100');
      const report = endOfCallReportMessage(call, { transcript: 'User: Hi.' });
      report.message.endedAt = endedAt;

      expect(await postWebhook(world.app.url, report)).toEqual({ status: 200, body: {} });

      const db = world.app.app.get<Database>(DATABASE);
      const row = await db
        .selectFrom('calls')
        .selectAll()
        .where('id', '=', call.id)
        .executeTakeFirstOrThrow();
      expect(row.ended_at).not.toBeNull();
      await eventually(() => deliveriesSettled(world, call.id));
      expect(tasksOf(world, call.id)).toHaveLength(1);
    },
  );
});
