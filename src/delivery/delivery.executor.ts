import { Inject, Injectable } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { SalesforceClient } from '../salesforce/salesforce.client';
import { SalesforceError, SalesforceErrorCode } from '../salesforce/salesforce.errors';
import { NewCallTask, NewCase, RequestPriority } from '../salesforce/salesforce.types';
import { SmsSender } from '../twilio/sms-sender';
import { DeliveryRow } from '../store/database.types';
import { Clock } from './clock';
import { deliveryConfig, DeliveryConfig } from './delivery.config';
import { DeliveryMetrics } from './delivery.metrics';
import { AttemptRecord, DeliveryRepository, toRecord } from './delivery.repository';
import {
  DeliveryInput,
  DeliveryKind,
  DeliveryOutcome,
  DeliveryRecordOf,
  DeliveryResults,
  DeliveryTarget,
  targetOf,
} from './delivery.types';
import { backoffDelayMs, classifyFailure, classifyRecordFailure, FailureVerdict } from './retry-policy';

/** `/composite/sobjects` takes at most 200 records per request. */
export const TASK_BATCH_LIMIT = 200;
const DEFAULT_SMS_BODY = 'Your support case number is {caseNumber}. We will keep you posted.';

/**
 * The one place where outbox rows become Salesforce and Twilio calls, for the inline path and the worker
 * alike. It runs leased rows, writes their outcomes back (with follow-up rows in the same transaction), and
 * pauses a target after an outage so the worker stops hammering it.
 */
@Injectable()
export class DeliveryExecutor {
  /** Lease owner id of this process. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly outages: Record<DeliveryTarget, { consecutive: number; pausedUntil: number }> = {
    salesforce: { consecutive: 0, pausedUntil: 0 },
    twilio: { consecutive: 0, pausedUntil: 0 },
  };

  constructor(
    private readonly salesforce: SalesforceClient,
    private readonly sms: SmsSender,
    private readonly repository: DeliveryRepository,
    private readonly clock: Clock,
    private readonly metrics: DeliveryMetrics,
    @Inject(deliveryConfig.KEY) private readonly config: DeliveryConfig,
  ) {}

  /** Targets the worker may send to now (not paused after an outage). */
  availableTargets(): DeliveryTarget[] {
    const now = this.clock.now();
    return (Object.keys(this.outages) as DeliveryTarget[]).filter(
      (target) => this.outages[target].pausedUntil <= now,
    );
  }

  /** Runs leased rows and records their outcomes. Tracked so shutdown can wait for it. */
  run(rows: DeliveryRow[], priority: RequestPriority): Promise<Map<number, DeliveryOutcome>> {
    const running = this.runUntracked(rows, priority);
    this.inflight.add(running);
    void running.finally(() => this.inflight.delete(running)).catch(() => undefined);
    return running;
  }

  /** Waits up to `graceMs` for running attempts; true when none is left. */
  async settle(graceMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
    const done = Promise.allSettled([...this.inflight]).then(() => true);
    const settled = await Promise.race([done, timeout]);
    clearTimeout(timer);
    return settled;
  }

  private async runUntracked(
    rows: DeliveryRow[],
    priority: RequestPriority,
  ): Promise<Map<number, DeliveryOutcome>> {
    const tasks = rows.filter((row) => row.kind === 'salesforce.task.create');
    const singles = rows.filter((row) => row.kind !== 'salesforce.task.create');
    const attempts: AttemptRecord[] = [];
    const work: Array<() => Promise<void>> = [];
    for (let start = 0; start < tasks.length; start += TASK_BATCH_LIMIT) {
      const chunk = tasks.slice(start, start + TASK_BATCH_LIMIT);
      work.push(async () => void attempts.push(...(await this.deliverTaskBatch(chunk, priority))));
    }
    for (const row of singles)
      work.push(async () => void attempts.push(await this.deliverOne(row, priority)));
    await runWithConcurrency(work, this.config.concurrency);

    const applied = await this.repository.record(attempts, this.clock.now());
    const outcomes = new Map<number, DeliveryOutcome>();
    for (const attempt of attempts) {
      this.metrics.attempted(attempt.row.kind, attempt.type);
      outcomes.set(attempt.row.seq, outcomeOf(attempt, applied.has(attempt.row.seq)));
    }
    return outcomes;
  }

  private async deliverOne(row: DeliveryRow, priority: RequestPriority): Promise<AttemptRecord> {
    const record = toRecord(row);
    try {
      switch (record.kind) {
        case 'salesforce.case.create':
          return await this.createCase(row, record, priority);
        case 'salesforce.case.comment': {
          const { caseId, body } = record.payload;
          // After an attempt that may have landed, look for the comment before adding it again.
          const existing = row.in_doubt
            ? await this.salesforce.findCaseComment(caseId, body, priority)
            : null;
          const created = existing ?? (await this.salesforce.addCaseComment(caseId, body, priority));
          return this.succeeded(row, { id: created.id });
        }
        case 'salesforce.contact.update':
          // Setting the same fields again is harmless: no check needed after a lost response.
          await this.salesforce.updateContact(record.payload.contactId, record.payload.fields, priority);
          return this.succeeded(row, { updated: true });
        case 'salesforce.task.create':
          return (await this.deliverTaskBatch([row], priority))[0];
        case 'salesforce.task.transcript': {
          const { taskId, title, content } = record.payload;
          const attached = await this.salesforce.attachTranscript(taskId, title, content, priority);
          return this.succeeded(row, { contentDocumentId: attached.contentDocumentId });
        }
        case 'twilio.sms.send': {
          if (!this.sms.enabled)
            return { type: 'skipped', row, result: { skipped: 'SMS is not configured' } };
          const sent = await this.sms.send({ to: record.payload.to, body: record.payload.body });
          return this.succeeded(row, { sid: sent.sid, status: sent.status });
        }
      }
    } catch (error) {
      return this.failed(row, classifyFailure(error), true);
    }
  }

  private async createCase(
    row: DeliveryRow,
    record: DeliveryRecordOf<'salesforce.case.create'>,
    priority: RequestPriority,
  ): Promise<AttemptRecord> {
    const { sms, accountNumber, ...payloadCase } = record.payload;
    const newCase = await this.withAccount(payloadCase, accountNumber, priority);
    // After an attempt that may have landed, look for the case before creating it again.
    const existing = row.in_doubt
      ? await this.salesforce.findCaseByIdempotencyKey(newCase.idempotencyKey, priority, newCase)
      : null;
    const created = existing ?? (await this.salesforce.createCase(newCase, priority));
    const followUps: DeliveryInput[] = sms
      ? [
          {
            kind: 'twilio.sms.send',
            idempotencyKey: `${row.idempotency_key}:sms`,
            callId: row.call_id ?? undefined,
            payload: {
              to: sms.to,
              body: (sms.body ?? DEFAULT_SMS_BODY).replaceAll('{caseNumber}', created.caseNumber),
            },
          },
        ]
      : [];
    return this.succeeded(row, { id: created.id, caseNumber: created.caseNumber }, followUps);
  }

  private async withAccount(
    newCase: NewCase,
    accountNumber: string | undefined,
    priority: RequestPriority,
  ): Promise<NewCase> {
    if (newCase.accountId || !accountNumber) return newCase;
    const account = await this.salesforce.findAccountByNumber(accountNumber, priority);
    if (!account) {
      throw new SalesforceError(
        SalesforceErrorCode.NOT_FOUND,
        'No account has the account number the caller gave',
        false,
      );
    }
    return { ...newCase, accountId: account.id };
  }

  /** Tasks go up to 200 per Salesforce call; each record's own result decides its row. */
  private async deliverTaskBatch(rows: DeliveryRow[], priority: RequestPriority): Promise<AttemptRecord[]> {
    const records = rows.map((row) => ({
      row,
      record: toRecord(row) as DeliveryRecordOf<'salesforce.task.create'>,
    }));
    const attempts: AttemptRecord[] = [];
    let toCreate = records;

    const doubtful = records.filter(({ row }) => row.in_doubt);
    if (doubtful.length > 0) {
      try {
        const existing = await this.salesforce.findCallTasks(
          doubtful.map(({ record }) => record.payload.task.callId),
          priority,
        );
        toCreate = [];
        for (const entry of records) {
          const taskId = entry.row.in_doubt ? existing.get(entry.record.payload.task.callId) : undefined;
          if (taskId) attempts.push(this.taskSucceeded(entry.row, entry.record, taskId));
          else toCreate.push(entry);
        }
      } catch (error) {
        const verdict = classifyFailure(error);
        // The check itself sent nothing; the rows stay in doubt.
        for (const { row } of doubtful)
          attempts.push(this.failed(row, { ...verdict, maybeSent: true }, false));
        this.noteOutage('salesforce', verdict);
        toCreate = records.filter(({ row }) => !row.in_doubt);
      }
    }
    if (toCreate.length === 0) return attempts;

    try {
      const tasks = await this.withCasesOfTheirCalls(toCreate.map(({ record }) => record.payload.task));
      const results = await this.salesforce.createCallTasks(tasks, priority);
      toCreate.forEach((entry, index) => {
        const result = results[index];
        if (result === undefined || result.callId !== entry.record.payload.task.callId) {
          attempts.push(this.failed(entry.row, classifyFailure(new Error('Missing batch result')), false));
        } else if (result.ok) {
          attempts.push(this.taskSucceeded(entry.row, entry.record, result.id));
        } else {
          attempts.push(
            this.failed(
              entry.row,
              classifyRecordFailure(result.code, result.message, result.retryable),
              false,
            ),
          );
        }
      });
      this.targetAnswered('salesforce');
    } catch (error) {
      const verdict = classifyFailure(error);
      for (const { row } of toCreate) attempts.push(this.failed(row, verdict, false));
      this.noteOutage('salesforce', verdict);
    }
    return attempts;
  }

  /**
   * A case opened during the call may have been created by the outbox only after the call log was queued (a
   * Salesforce outage mid-call). Rows of one call run in order, so by now it exists: link the Task to it.
   */
  private async withCasesOfTheirCalls(tasks: NewCallTask[]): Promise<NewCallTask[]> {
    const casesByCall = await this.repository.casesCreatedByCalls(tasks.map((task) => task.callId));
    return tasks.map((task) => {
      const cases = casesByCall.get(task.callId) ?? [];
      if (cases.length === 0 || cases.some((created) => created.id === task.whatId)) return task;
      const numbers = cases.map((created) => created.caseNumber).join(', ');
      const subject = task.subject.includes('(case ') ? task.subject : `${task.subject} (case ${numbers})`;
      return { ...task, whatId: cases[0].id, subject: subject.slice(0, 255) };
    });
  }

  private taskSucceeded(
    row: DeliveryRow,
    record: DeliveryRecordOf<'salesforce.task.create'>,
    taskId: string,
  ): AttemptRecord {
    const transcript = record.payload.transcript;
    const followUps: DeliveryInput[] = transcript
      ? [
          {
            kind: 'salesforce.task.transcript',
            idempotencyKey: `${row.idempotency_key}:transcript`,
            callId: row.call_id ?? undefined,
            payload: { taskId, title: transcript.title, content: transcript.content },
          },
        ]
      : [];
    return this.succeeded(row, { id: taskId }, followUps);
  }

  private succeeded(
    row: DeliveryRow,
    result: DeliveryResults[DeliveryKind],
    followUps: DeliveryInput[] = [],
  ): AttemptRecord {
    this.targetAnswered(targetOf(row.kind as DeliveryKind));
    return { type: 'succeeded', row, result, followUps };
  }

  /** Turns a failure into a retry with backoff or a dead letter, per the retry policy. */
  private failed(row: DeliveryRow, verdict: FailureVerdict, requestFailed: boolean): AttemptRecord {
    const now = this.clock.now();
    if (requestFailed) this.noteOutage(targetOf(row.kind as DeliveryKind), verdict);
    const { code, reason } = verdict;
    switch (verdict.action) {
      case 'dead':
        return { type: 'dead', row, owner: this.owner, code, reason };
      case 'retry':
        if (row.attempts >= this.config.maxAttempts) {
          const gaveUp = `Gave up after ${row.attempts} attempts: ${reason}`;
          return { type: 'dead', row, owner: this.owner, code, reason: gaveUp };
        }
        break;
      case 'wait':
        if (now - row.created_at >= this.config.giveUpAfterMs) {
          const hours = Math.round((now - row.created_at) / 3_600_000);
          return {
            type: 'dead',
            row,
            owner: this.owner,
            code,
            reason: `Gave up after ${hours} h of outage: ${reason}`,
          };
        }
        break;
    }
    const delay = backoffDelayMs(row.attempts, this.config.backoffBaseMs, this.config.backoffMaxMs);
    return {
      type: 'retry',
      row,
      owner: this.owner,
      code,
      reason,
      sent: verdict.maybeSent,
      nextAttemptAt: now + delay,
    };
  }

  private noteOutage(target: DeliveryTarget, verdict: FailureVerdict): void {
    if (verdict.action !== 'wait') return;
    const outage = this.outages[target];
    outage.consecutive += 1;
    outage.pausedUntil =
      this.clock.now() +
      backoffDelayMs(outage.consecutive, this.config.backoffBaseMs, this.config.backoffMaxMs);
  }

  private targetAnswered(target: DeliveryTarget): void {
    this.outages[target] = { consecutive: 0, pausedUntil: 0 };
  }
}

function outcomeOf(attempt: AttemptRecord, applied: boolean): DeliveryOutcome {
  switch (attempt.type) {
    case 'succeeded':
    case 'skipped':
      return { status: 'succeeded', result: attempt.result };
    case 'retry':
      return { status: 'pending', reason: applied ? attempt.reason : 'Another worker holds the delivery' };
    case 'dead':
      return applied
        ? { status: 'dead', reason: attempt.reason }
        : { status: 'pending', reason: 'Another worker holds the delivery' };
  }
}

async function runWithConcurrency(work: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < work.length) await work[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, work.length) }, lane));
}
