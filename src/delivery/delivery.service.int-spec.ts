import { SalesforceError, SalesforceErrorCode } from '../salesforce/salesforce.errors';
import { DeliveryHarness, drainUntilIdle, useDeliveryWorld } from '../../test/support/delivery-harness';
import { caseInput, commentInput, taskInput } from '../../test/support/delivery-inputs';
import { FakeClock } from '../../test/support/fake-clock';
import { FakeSalesforceClient } from '../../test/support/fake-salesforce.client';
import { FakeSmsSender } from '../../test/support/fake-sms-sender';

const MINUTE = 60_000;

describe.each(['sqlite', 'postgres'] as const)('DeliveryService on %s', (dialect) => {
  const world = useDeliveryWorld(dialect);
  let clock: FakeClock;
  let salesforce: FakeSalesforceClient;
  let sms: FakeSmsSender;
  let outbox: DeliveryHarness;
  beforeEach(() => ({ clock, salesforce, sms, outbox } = world));

  it('should return the existing row unchanged when the same idempotency key is submitted again', async () => {
    const first = await outbox.service.submit(caseInput('tool-1'));
    const again = await outbox.service.submit({ ...caseInput('tool-1'), callId: 'other-call' });

    expect(again.id).toBe(first.id);
    expect([first.alreadySubmitted, again.alreadySubmitted]).toEqual([false, true]);
    expect(again.callId).toBe('call-1');
    expect(await outbox.service.listForCall('call-1')).toHaveLength(1);
  });

  it('should create the case inline and give the same stored result to a repeated tool call', async () => {
    const record = await outbox.service.submit(caseInput('tool-1'));

    const first = await outbox.service.runInline(record, 5000);
    const repeated = await outbox.service.runInline(record, 5000);

    expect(first).toEqual({
      status: 'succeeded',
      result: { id: expect.any(String), caseNumber: '00001001' },
    });
    expect(repeated).toEqual(first);
    expect(salesforce.writesOf('case')).toHaveLength(1);
    expect((await outbox.service.findByKey('tool-1'))?.result).toEqual({
      id: expect.any(String),
      caseNumber: '00001001',
    });
  });

  it('should insert a row to be run now leased to this process, so no worker of another replica takes it first', async () => {
    const record = await outbox.service.submit(caseInput('tool-1'), { runNow: true });

    const stored = await outbox.repository.findByKey('tool-1');
    expect(stored).toMatchObject({ lease_owner: outbox.executor.owner, attempts: 1 });
    const otherReplica = await outbox.repository.claimDue({
      owner: 'another-replica',
      now: clock.now(),
      leaseMs: MINUTE,
      limit: 10,
      targets: ['salesforce'],
    });
    expect(otherReplica).toEqual([]);

    await expect(outbox.service.runInline(record, 5000)).resolves.toMatchObject({ status: 'succeeded' });
    expect(salesforce.writesOf('case')).toHaveLength(1);
    expect(await outbox.service.findByKey('tool-1')).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('should text the case number once the case exists when the payload asks for an SMS', async () => {
    const record = await outbox.service.submit(caseInput('tool-1', 'call-1', '+14155550100'));
    await outbox.service.runInline(record, 5000);

    const followUp = await outbox.service.findByKey('tool-1:sms');
    expect(followUp).toMatchObject({ kind: 'twilio.sms.send', status: 'pending', callId: 'call-1' });
    await drainUntilIdle(outbox.worker);

    expect(sms.sent).toEqual([{ to: '+14155550100', body: expect.stringContaining('00001001') }]);
    expect((await outbox.service.findByKey('tool-1:sms'))?.status).toBe('succeeded');
  });

  it('should mark the SMS skipped when no SMS provider is configured', async () => {
    sms.enabled = false;
    const record = await outbox.service.submit({
      kind: 'twilio.sms.send',
      idempotencyKey: 'sms-1',
      payload: { to: '+14155550100', body: 'Hi' },
    });

    const outcome = await outbox.service.runInline(record, 5000);

    expect(outcome).toEqual({ status: 'succeeded', result: { skipped: 'SMS is not configured' } });
    expect((await outbox.service.get(record.id))?.status).toBe('skipped');
  });

  it('should answer pending when the budget runs out, then record the late success and send its SMS', async () => {
    let release!: () => void;
    salesforce.gate = new Promise((resolve) => (release = resolve));
    const record = await outbox.service.submit(caseInput('tool-1', 'call-1', '+14155550100'));

    const outcome = await outbox.service.runInline(record, 20);
    expect(outcome.status).toBe('pending');
    release();
    salesforce.gate = undefined;
    await outbox.executor.settle(5000);

    expect(await outbox.service.get(record.id)).toMatchObject({
      status: 'succeeded',
      result: { caseNumber: '00001001' },
    });
    await drainUntilIdle(outbox.worker);
    expect(sms.sent).toHaveLength(1);
  });

  it('should look the case up instead of creating it again after a lost response', async () => {
    salesforce.loseResponses = 1;
    const record = await outbox.service.submit(caseInput('tool-1'));

    expect((await outbox.service.runInline(record, 5000)).status).toBe('pending');
    clock.advance(MINUTE);
    await drainUntilIdle(outbox.worker);

    expect(salesforce.writesOf('case')).toHaveLength(1);
    expect(await outbox.service.get(record.id)).toMatchObject({
      status: 'succeeded',
      result: { caseNumber: '00001001' },
    });
  });

  it('should look the comment up instead of adding it again after a lost response', async () => {
    const parent = await salesforce.createCase(caseInput('tool-case').payload as never);
    salesforce.loseResponses = 1;
    const record = await outbox.service.submit(commentInput('tool-2', parent.id, 'Still no dial tone'));

    expect((await outbox.service.runInline(record, 5000)).status).toBe('pending');
    clock.advance(MINUTE);
    await drainUntilIdle(outbox.worker);

    const comments = salesforce.writesOf('comment');
    expect(comments).toEqual([expect.objectContaining({ caseId: parent.id, body: 'Still no dial tone' })]);
    expect(await outbox.service.get(record.id)).toMatchObject({
      status: 'succeeded',
      result: { id: comments[0].id },
    });
  });

  it('should add the comment when a crashed attempt never sent it', async () => {
    const parent = await salesforce.createCase(caseInput('tool-case').payload as never);
    const record = await outbox.service.submit(commentInput('tool-2', parent.id, 'Please call back'));
    // Another process claims the row and dies before sending: the row is in doubt, but nothing landed.
    await outbox.repository.claimDue({
      owner: 'crashed',
      now: clock.now(),
      leaseMs: MINUTE,
      limit: 10,
      targets: ['salesforce'],
    });

    clock.advance(MINUTE + 1);
    await drainUntilIdle(outbox.worker);

    expect(salesforce.writesOf('comment')).toEqual([
      expect.objectContaining({ caseId: parent.id, body: 'Please call back' }),
    ]);
    expect(await outbox.service.get(record.id)).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('should not log a Task twice when the response of its batch was lost', async () => {
    for (const callId of ['call-a', 'call-b', 'call-c']) await outbox.service.submit(taskInput(callId));
    salesforce.loseResponses = 1;

    await drainUntilIdle(outbox.worker);
    clock.advance(MINUTE);
    await drainUntilIdle(outbox.worker);

    expect(
      salesforce
        .writesOf('task')
        .map((write) => write.callId)
        .sort(),
    ).toEqual(['call-a', 'call-b', 'call-c']);
    expect((await outbox.service.backlog()).pending).toBe(0);
  });

  it('should send 200 Tasks per Salesforce call and record each result', async () => {
    for (let index = 0; index < 450; index++) await outbox.service.submit(taskInput(`call-${index}`));

    await drainUntilIdle(outbox.worker);

    expect(salesforce.apiCalls).toBe(3);
    expect(salesforce.writesOf('task')).toHaveLength(450);
    expect(await outbox.service.backlog()).toEqual({
      pending: 0,
      oldestPendingAgeSeconds: 0,
      deadLetters: 0,
    });
  });

  it('should attach a long transcript to the Task once the Task exists', async () => {
    await outbox.service.submit(taskInput('call-1', `Caller: ${'hello '.repeat(7000)}`));

    await drainUntilIdle(outbox.worker);

    const [task] = salesforce.writesOf('task');
    expect(task.input.description.length).toBeLessThanOrEqual(32_000);
    expect(salesforce.writesOf('transcript')).toEqual([
      expect.objectContaining({ taskId: task.id, title: 'Transcript of call call-1' }),
    ]);
    expect((await outbox.service.findByKey('task:call-1:transcript'))?.status).toBe('succeeded');
  });

  it('should still deliver a Task queued already built by an earlier version', async () => {
    await outbox.service.submit({
      kind: 'salesforce.task.create',
      idempotencyKey: 'task:call-old',
      callId: 'call-old',
      payload: {
        task: {
          callId: 'call-old',
          subject: 'Inbound call',
          description: 'Summary',
          activityDate: '2025-05-01',
        },
      },
    });

    await drainUntilIdle(outbox.worker);

    expect(salesforce.writesOf('task').map((write) => write.input.subject)).toEqual(['Inbound call']);
  });

  it("should link the call's Task to a case the outbox created only after the call ended", async () => {
    await outbox.calls.record('call-late', { callerNumber: '+14155550100' }, clock.now());
    salesforce.down = true;
    const created = await outbox.service.submit(caseInput('call-late:case', 'call-late'));
    expect((await outbox.service.runInline(created, 5000)).status).toBe('pending');
    await outbox.service.submit(taskInput('call-late'));
    salesforce.down = false;

    for (let step = 0; step < 10 && (await outbox.service.backlog()).pending > 0; step++) {
      clock.advance(MINUTE);
      await drainUntilIdle(outbox.worker);
    }

    const [caseWrite] = salesforce.writesOf('case');
    const [task] = salesforce.writesOf('task');
    expect(task.input).toMatchObject({ whatId: caseWrite.id, subject: 'Inbound call (case 00001001)' });
  });

  it('should name the contact on the Task by identifying the caller when nobody did during the call', async () => {
    salesforce.contacts.push({
      id: '003FAKECALLER',
      firstName: 'Ada',
      lastName: 'L',
      phones: ['+14155550111'],
    });
    await outbox.calls.record('call-unknown', { callerNumber: '(415) 555-0111' }, clock.now());
    salesforce.down = true;
    await outbox.service.submit(taskInput('call-unknown'));
    await drainUntilIdle(outbox.worker);
    expect(salesforce.writesOf('task')).toHaveLength(0);
    salesforce.down = false;

    clock.advance(MINUTE);
    await drainUntilIdle(outbox.worker);

    expect(salesforce.writesOf('task').map((write) => write.input.whoId)).toEqual(['003FAKECALLER']);
  });

  it('should dead-letter a refused record at once with its reason while the others flow', async () => {
    salesforce.refuseCase = (input) => input.idempotencyKey === 'poison';
    salesforce.refuseTask = (task) => task.callId === 'call-poison';
    await outbox.service.submit(caseInput('poison', 'call-x'));
    await outbox.service.submit(caseInput('tool-ok', 'call-y'));
    for (const callId of ['call-1', 'call-poison', 'call-2']) await outbox.service.submit(taskInput(callId));

    await drainUntilIdle(outbox.worker);

    expect(await outbox.service.findByKey('poison')).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastErrorCode: 'VALIDATION',
      lastError: expect.stringContaining('FIELD_CUSTOM_VALIDATION_EXCEPTION'),
    });
    expect(await outbox.service.findByKey('task:call-poison')).toMatchObject({
      status: 'dead',
      lastError: 'Task refused',
    });
    expect(salesforce.writesOf('case').map((write) => write.key)).toEqual(['tool-ok']);
    expect(salesforce.writesOf('task').map((write) => write.callId)).toEqual(['call-1', 'call-2']);
    expect(await outbox.service.backlog()).toMatchObject({ pending: 0, deadLetters: 2 });
  });

  it('should deliver everything in order per call after a 10-minute outage, with no dead letters', async () => {
    salesforce.down = true;
    const calls = ['call-1', 'call-2', 'call-3'];
    for (const callId of calls) {
      const created = await outbox.service.submit(caseInput(`${callId}:case`, callId));
      expect((await outbox.service.runInline(created, 5000)).status).toBe('pending');
      await outbox.service.submit({
        kind: 'salesforce.contact.update',
        idempotencyKey: `${callId}:contact`,
        callId,
        payload: { contactId: `003-${callId}`, fields: { email: 'x@example.com' } },
      });
      await outbox.service.submit(taskInput(callId));
    }
    for (let elapsed = 0; elapsed < 10 * MINUTE; elapsed += 15_000) {
      await drainUntilIdle(outbox.worker);
      clock.advance(15_000);
    }
    expect(salesforce.writes).toHaveLength(0);
    salesforce.down = false;

    for (let step = 0; step < 20 && (await outbox.service.backlog()).pending > 0; step++) {
      clock.advance(MINUTE);
      await drainUntilIdle(outbox.worker);
    }

    expect(await outbox.service.backlog()).toEqual({
      pending: 0,
      oldestPendingAgeSeconds: 0,
      deadLetters: 0,
    });
    for (const callId of calls) {
      const order = salesforce.writes
        .map((write) =>
          write.type === 'case'
            ? write.key
            : write.type === 'contact'
              ? `${write.contactId}`
              : write.type === 'task'
                ? write.callId
                : '',
        )
        .filter((label) => label.includes(callId));
      expect(order).toEqual([`${callId}:case`, `003-${callId}`, callId]);
    }
  });

  it('should keep waiting through rate limits but dead-letter unexplained failures after the attempt limit', async () => {
    const limited = await outbox.service.submit(caseInput('limited', 'call-l'));
    const broken = await outbox.service.submit({
      kind: 'salesforce.case.comment',
      idempotencyKey: 'broken',
      callId: 'call-b',
      payload: { caseId: '500X', body: 'Note' },
    });
    jest.spyOn(salesforce, 'createCase').mockRejectedValue(
      new SalesforceError(SalesforceErrorCode.RATE_LIMITED, 'REQUEST_LIMIT_EXCEEDED', true, {
        status: 403,
      }),
    );
    jest
      .spyOn(salesforce, 'addCaseComment')
      .mockRejectedValue(new SalesforceError(SalesforceErrorCode.UNKNOWN, 'Unexpected answer', true));

    for (let step = 0; step < 30; step++) {
      await drainUntilIdle(outbox.worker);
      clock.advance(2 * MINUTE);
    }

    expect(await outbox.service.get(limited.id)).toMatchObject({
      status: 'pending',
      lastErrorCode: 'RATE_LIMITED',
    });
    expect(await outbox.service.get(broken.id)).toMatchObject({
      status: 'dead',
      attempts: 5,
      lastError: 'Gave up after 5 attempts: Unexpected answer',
    });
  });

  it('should deliver a replayed dead letter', async () => {
    salesforce.refuseCase = () => true;
    const record = await outbox.service.submit(caseInput('tool-1'));
    await drainUntilIdle(outbox.worker);
    expect((await outbox.service.get(record.id))?.status).toBe('dead');

    salesforce.refuseCase = () => false;
    expect(await outbox.service.replay(record.id)).toBe(true);
    expect(await outbox.service.replay(record.id)).toBe(false);
    await drainUntilIdle(outbox.worker);

    expect(await outbox.service.get(record.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(await outbox.service.replayAllDead()).toBe(0);
  });

  it('should report the backlog, the age of its oldest row and the dead letters', async () => {
    salesforce.down = true;
    await outbox.service.submit(caseInput('tool-1'));
    clock.advance(90_000);
    await outbox.service.submit(caseInput('tool-2', 'call-2'));

    expect(await outbox.service.backlog()).toEqual({
      pending: 2,
      oldestPendingAgeSeconds: 90,
      deadLetters: 0,
    });
  });

  it('should give back its leases on shutdown so the rows can be claimed at once', async () => {
    const record = await outbox.service.submit(caseInput('tool-1'));
    const [claimed] = await outbox.repository.claimDue({
      owner: outbox.executor.owner,
      now: clock.now(),
      leaseMs: MINUTE,
      limit: 1,
      targets: ['salesforce'],
    });
    expect(claimed.id).toBe(record.id);

    await outbox.worker.beforeApplicationShutdown();
    await drainUntilIdle(outbox.worker);

    expect((await outbox.service.get(record.id))?.status).toBe('succeeded');
  });

  it('should export backlog gauges and execution counters', async () => {
    const record = await outbox.service.submit(caseInput('tool-1'));
    await outbox.service.runInline(record, 5000);
    await outbox.service.submit(caseInput('tool-2', 'call-2'));

    const text = await outbox.registry.metrics();

    expect(text).toContain('delivery_backlog 1');
    expect(text).toContain('delivery_dead_letters 0');
    expect(text).toContain('delivery_executions_total{kind="salesforce.case.create",outcome="succeeded"} 1');
  });
});
