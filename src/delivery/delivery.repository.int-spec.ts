import { DeliveryRow } from '../store/database.types';
import { useTestDatabase } from '../../test/support/test-database';
import { DeliveryRepository, NewDelivery } from './delivery.repository';

const NOW = Date.UTC(2025, 4, 1, 10, 0, 0);
const LEASE_MS = 60_000;

function smsInput(key: string): NewDelivery {
  return {
    kind: 'twilio.sms.send',
    target: 'twilio',
    idempotencyKey: key,
    callId: `call-${key}`,
    payload: { to: '+14155550100', body: `Message ${key}` },
  };
}

describe.each(['sqlite', 'postgres'] as const)('DeliveryRepository.record on %s', (dialect) => {
  const store = useTestDatabase(dialect);
  let repository: DeliveryRepository;

  beforeEach(() => {
    repository = new DeliveryRepository(store.db);
  });

  async function claim(owner: string, now: number, limit = 1000): Promise<DeliveryRow[]> {
    return repository.claimDue({ owner, now, leaseMs: LEASE_MS, limit, targets: ['twilio', 'salesforce'] });
  }

  async function stored(key: string): Promise<DeliveryRow> {
    const row = await repository.findByKey(key);
    if (!row) throw new Error(`no row ${key}`);
    return row;
  }

  it('should apply a late success of a reclaimed row with its follow-ups, but not a late failure', async () => {
    await repository.insert(smsInput('a'), NOW);
    await repository.insert(smsInput('b'), NOW);
    const [lateA, lateB] = await claim('worker-1', NOW);
    const later = NOW + LEASE_MS + 1;
    expect(await claim('worker-2', later)).toHaveLength(2);

    const applied = await repository.record(
      [
        {
          type: 'succeeded',
          row: lateA,
          result: { sid: 'SM1', status: 'queued' },
          followUps: [smsInput('a:follow-up')],
        },
        {
          type: 'retry',
          row: lateB,
          owner: 'worker-1',
          code: 'TIMEOUT',
          reason: 'No answer',
          sent: false,
          nextAttemptAt: later + 5000,
        },
      ],
      later,
    );

    expect(applied).toEqual(new Set([lateA.seq]));
    expect(await stored('a')).toMatchObject({
      status: 'succeeded',
      result: JSON.stringify({ sid: 'SM1', status: 'queued' }),
      lease_owner: null,
      lease_until: null,
      completed_at: later,
      updated_at: later,
    });
    expect(await stored('a:follow-up')).toMatchObject({ status: 'pending', kind: 'twilio.sms.send' });
    expect(await stored('b')).toMatchObject({
      status: 'pending',
      lease_owner: 'worker-2',
      last_error: null,
      unsent_failures: 0,
      next_attempt_at: NOW,
    });
  });

  it("should record the lease holder's retries and dead letters with their reasons in one batch", async () => {
    for (const key of ['unsent', 'maybe-sent', 'poison', 'skipped'])
      await repository.insert(smsInput(key), NOW);
    const rows = new Map((await claim('worker-1', NOW)).map((row) => [row.idempotency_key, row]));
    const at = NOW + 1000;
    const row = (key: string): DeliveryRow => rows.get(key) as DeliveryRow;

    const applied = await repository.record(
      [
        {
          type: 'retry',
          row: row('unsent'),
          owner: 'worker-1',
          code: 'UNAVAILABLE',
          reason: 'Down',
          sent: false,
          nextAttemptAt: at + 2000,
        },
        {
          type: 'retry',
          row: row('maybe-sent'),
          owner: 'worker-1',
          code: 'TIMEOUT',
          reason: 'No answer',
          sent: true,
          nextAttemptAt: at + 3000,
        },
        { type: 'dead', row: row('poison'), owner: 'worker-1', code: 'VALIDATION', reason: 'Refused' },
        { type: 'skipped', row: row('skipped'), result: { skipped: 'SMS is not configured' }, followUps: [] },
      ],
      at,
    );

    expect(applied.size).toBe(4);
    const cleared = { lease_owner: null, lease_until: null, updated_at: at };
    expect(await stored('unsent')).toMatchObject({
      ...cleared,
      status: 'pending',
      next_attempt_at: at + 2000,
      last_error: 'Down',
      last_error_code: 'UNAVAILABLE',
      unsent_failures: 1,
      completed_at: null,
      result: null,
    });
    expect(await stored('maybe-sent')).toMatchObject({
      ...cleared,
      status: 'pending',
      next_attempt_at: at + 3000,
      last_error_code: 'TIMEOUT',
      unsent_failures: 0,
    });
    expect(await stored('poison')).toMatchObject({
      ...cleared,
      status: 'dead',
      next_attempt_at: NOW,
      last_error: 'Refused',
      last_error_code: 'VALIDATION',
      completed_at: at,
    });
    expect(await stored('skipped')).toMatchObject({
      ...cleared,
      status: 'skipped',
      result: JSON.stringify({ skipped: 'SMS is not configured' }),
      completed_at: at,
    });
  });

  it('should keep the reason of an earlier failure when the retry succeeds', async () => {
    await repository.insert(smsInput('flaky'), NOW);
    const [first] = await claim('worker-1', NOW);
    await repository.record(
      [
        {
          type: 'retry',
          row: first,
          owner: 'worker-1',
          code: 'TIMEOUT',
          reason: 'No answer',
          sent: true,
          nextAttemptAt: NOW + 10,
        },
      ],
      NOW,
    );
    const [second] = await claim('worker-1', NOW + 10);

    await repository.record(
      [{ type: 'succeeded', row: second, result: { sid: 'SM2', status: 'sent' }, followUps: [] }],
      NOW + 20,
    );

    expect(await stored('flaky')).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      last_error: 'No answer',
      last_error_code: 'TIMEOUT',
      next_attempt_at: NOW + 10,
    });
  });

  it('should commit the follow-ups of the outcomes it applied, whole and in order, and none of the others', async () => {
    for (const key of ['p', 'q', 'r']) await repository.insert(smsInput(key), NOW);
    const [p, q, r] = await claim('worker-1', NOW);
    const later = NOW + 5;
    const success = (row: DeliveryRow, keys: string[]) => ({
      type: 'succeeded' as const,
      row,
      result: { sid: `SM-${row.idempotency_key}`, status: 'queued' },
      followUps: keys.map((key) => ({ ...smsInput(key), callId: undefined })),
    });
    // q is finished already: a second success of it applies nothing, and brings no follow-up.
    await repository.record([success(q, [])], NOW + 1);

    const applied = await repository.record(
      [success(r, ['r:1']), success(p, ['p:1', 'p:2']), success(q, ['q:1'])],
      later,
    );

    expect(applied).toEqual(new Set([p.seq, r.seq]));
    const followUps = await Promise.all(['p:1', 'p:2', 'r:1'].map(stored));
    expect(followUps.map((row) => row.seq)).toEqual(
      [...followUps.map((row) => row.seq)].sort((a, b) => a - b),
    );
    expect(followUps[0]).toMatchObject({
      kind: 'twilio.sms.send',
      target: 'twilio',
      call_id: null,
      payload: JSON.stringify({ to: '+14155550100', body: 'Message p:1' }),
      status: 'pending',
      attempts: 0,
      unsent_failures: 0,
      in_doubt: 0,
      next_attempt_at: later,
      created_at: later,
      updated_at: later,
      lease_owner: null,
    });
    expect(followUps[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await repository.findByKey('q:1')).toBeUndefined();
  });

  it('should not apply a success twice nor duplicate its follow-ups once the row is finished', async () => {
    await repository.insert(smsInput('once'), NOW);
    const [row] = await claim('worker-1', NOW);
    const success = {
      type: 'succeeded' as const,
      row,
      result: { sid: 'SM1', status: 'queued' },
      followUps: [smsInput('once:follow-up')],
    };

    expect(await repository.record([success], NOW + 1)).toEqual(new Set([row.seq]));
    const again = await repository.record(
      [{ ...success, result: { sid: 'SM9', status: 'queued' }, followUps: [smsInput('once:other')] }],
      NOW + 2,
    );

    expect(again.size).toBe(0);
    expect(await stored('once')).toMatchObject({ result: JSON.stringify({ sid: 'SM1', status: 'queued' }) });
    expect(await repository.findByKey('once:other')).toBeUndefined();
  });

  it('should record a batch larger than one statement holds', async () => {
    const keys = Array.from({ length: 510 }, (_, index) => `bulk-${index}`);
    for (let start = 0; start < keys.length; start += 50)
      await Promise.all(keys.slice(start, start + 50).map((key) => repository.insert(smsInput(key), NOW)));
    const rows = await claim('worker-1', NOW);
    expect(rows).toHaveLength(510);

    const applied = await repository.record(
      rows.map((row) => ({
        type: 'succeeded' as const,
        row,
        result: { sid: `SM-${row.seq}`, status: 'queued' },
        followUps: [smsInput(`${row.idempotency_key}:next`)],
      })),
      NOW + 1,
    );

    expect(applied.size).toBe(510);
    expect((await repository.backlog(NOW + 1)).pending).toBe(510);
    const sample = await stored('bulk-503');
    expect(sample).toMatchObject({
      status: 'succeeded',
      result: JSON.stringify({ sid: `SM-${sample.seq}`, status: 'queued' }),
    });
    expect(await stored('bulk-503:next')).toMatchObject({ status: 'pending' });
  });
});
