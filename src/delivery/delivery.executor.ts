import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { withinDeadline } from '../common/deadline';
import { DeliveryRow } from '../store/database.types';
import { Clock } from './clock';
import {
  DeliveryAttempt,
  DeliveryHandler,
  DeliveryRefusal,
  DeliverySuccess,
  isBatchHandler,
} from './delivery-handler';
import { DeliveryHandlerRegistry } from './delivery-handler.registry';
import { deliveryConfig, DeliveryConfig } from './delivery.config';
import { DeliveryMetrics } from './delivery.metrics';
import { AttemptRecord, DeliveryRepository, NewDelivery } from './delivery.repository';
import { DeliveryInput, DeliveryKind, DeliveryOutcome, DeliveryPriority } from './delivery.types';
import { backoffDelayMs, FailureVerdict } from './retry-policy';

/**
 * The one place where outbox rows meet their handlers, for the inline path and the worker alike. It runs
 * leased rows (batched where the handler batches), writes their outcomes back with their follow-up rows in the
 * same transaction, and pauses a target after an outage so the worker stops hammering it. It knows no kind of
 * write: handlers do the writing and say how their failures are to be treated.
 */
@Injectable()
export class DeliveryExecutor {
  private readonly logger = new Logger(DeliveryExecutor.name);
  /** Lease owner id of this process. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly inflight = new Set<Promise<unknown>>();
  /** Leased rows being worked on now (seq → runs holding it), whose leases the heartbeat renews. */
  private readonly leased = new Map<number, number>();
  private heartbeat?: NodeJS.Timeout;
  private readonly outages = new Map<string, TargetOutage>();
  /** Targets whose outage ended, with when, until their backlog is drained (logged once). */
  private readonly recovering = new Map<string, number>();

  constructor(
    private readonly handlers: DeliveryHandlerRegistry,
    private readonly repository: DeliveryRepository,
    private readonly clock: Clock,
    private readonly metrics: DeliveryMetrics,
    @Inject(deliveryConfig.KEY) private readonly config: DeliveryConfig,
  ) {}

  /** Targets the worker may send to now (not paused after an outage). */
  availableTargets(): string[] {
    const now = this.clock.now();
    return this.handlers.targets().filter((target) => (this.outages.get(target)?.pausedUntil ?? 0) <= now);
  }

  /** The row to commit for a new write: the input and the target its handler writes to. */
  newDelivery(input: DeliveryInput): NewDelivery {
    return { ...input, target: this.handlers.get(input.kind).target };
  }

  /** Runs leased rows and records their outcomes. Tracked so shutdown can wait for it. */
  run(rows: DeliveryRow[], priority: DeliveryPriority): Promise<Map<number, DeliveryOutcome<unknown>>> {
    for (const row of rows) this.leased.set(row.seq, (this.leased.get(row.seq) ?? 0) + 1);
    this.startHeartbeat();
    const running = this.runUntracked(rows, priority);
    this.inflight.add(running);
    void running
      .finally(() => {
        this.inflight.delete(running);
        for (const row of rows) {
          const holders = (this.leased.get(row.seq) ?? 1) - 1;
          if (holders > 0) this.leased.set(row.seq, holders);
          else this.leased.delete(row.seq);
        }
        if (this.leased.size === 0) this.stopHeartbeat();
      })
      .catch(() => undefined);
    return running;
  }

  /**
   * Renews the leases of the rows being worked on every third of a lease (DELIVERY_LEASE_SECONDS 15 → every
   * 5 s), so the lease can be short: a lease that runs out means its worker is dead, and another takes over
   * within one lease instead of waiting out a worst-case Salesforce call. Two renewals may fail in a row (a
   * store hiccup) before the lease is lost; a lost lease is harmless but for the time, as the row's next
   * attempt is checked before it writes (in doubt).
   */
  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(
      () => void this.renewLeases(),
      Math.max(1, Math.floor(this.config.leaseMs / 3)),
    );
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** One heartbeat; exposed for tests that step a fake clock. */
  async renewLeases(): Promise<number> {
    try {
      return await this.repository.renewLeases(
        this.owner,
        [...this.leased.keys()],
        this.clock.now(),
        this.config.leaseMs,
      );
    } catch (error) {
      this.logger.warn(
        { event: 'delivery_lease_renewal_failed', code: (error as { code?: unknown }).code },
        'delivery lease renewal failed',
      );
      return 0;
    }
  }

  /** Waits up to `graceMs` for running attempts; true when none is left. */
  settle(graceMs: number): Promise<boolean> {
    const done = Promise.allSettled([...this.inflight]).then(() => true);
    return withinDeadline(done, graceMs, () => false);
  }

  private async runUntracked(
    rows: DeliveryRow[],
    priority: DeliveryPriority,
  ): Promise<Map<number, DeliveryOutcome<unknown>>> {
    const attempts: AttemptRecord[] = [];
    const work: Array<() => Promise<void>> = [];
    for (const [kind, ofKind] of groupByKind(rows)) {
      const handler = this.handlers.find(kind);
      if (!handler) {
        // A row of a kind this build does not know (written by another version): keep it for an operator.
        for (const row of ofKind) attempts.push(this.unknownKind(row));
        continue;
      }
      if (isBatchHandler(handler)) {
        for (let start = 0; start < ofKind.length; start += handler.batchSize) {
          const chunk = ofKind.slice(start, start + handler.batchSize);
          work.push(async () => void attempts.push(...(await this.deliverBatch(handler, chunk, priority))));
        }
      } else {
        for (const row of ofKind) {
          work.push(async () => {
            try {
              attempts.push(this.succeeded(handler, row, await handler.deliver(attemptOf(row, priority))));
            } catch (error) {
              attempts.push(this.failed(handler, row, handler.classify(error), true));
            }
          });
        }
      }
    }
    await runWithConcurrency(work, this.config.concurrency);

    const applied = await this.repository.record(attempts, this.clock.now());
    const outcomes = new Map<number, DeliveryOutcome<unknown>>();
    for (const attempt of attempts) {
      this.metrics.attempted(attempt.row.kind, attempt.type);
      this.logAttempt(attempt);
      outcomes.set(attempt.row.seq, outcomeOf(attempt, applied.has(attempt.row.seq)));
    }
    return outcomes;
  }

  private async deliverBatch(
    handler: Extract<DeliveryHandler, { deliverBatch: unknown }>,
    rows: DeliveryRow[],
    priority: DeliveryPriority,
  ): Promise<AttemptRecord[]> {
    let outcomes: (DeliverySuccess<DeliveryKind> | DeliveryRefusal)[];
    try {
      outcomes = await handler.deliverBatch(rows.map((row) => attemptOf(row, priority)));
    } catch (error) {
      const verdict = handler.classify(error);
      this.noteOutage(handler.target, verdict);
      return rows.map((row) => this.failed(handler, row, verdict, false));
    }
    // Every record waiting (their own lookups hit the outage or the limit) means the target is not back yet.
    const waiting = (outcome: DeliverySuccess<DeliveryKind> | DeliveryRefusal | undefined) =>
      outcome !== undefined && 'failure' in outcome && outcome.failure.action === 'wait';
    if (outcomes.every(waiting)) {
      for (const outcome of outcomes)
        if ('failure' in outcome) this.noteOutage(handler.target, outcome.failure);
    } else {
      this.targetAnswered(handler.target);
    }
    return rows.map((row, index) => {
      const outcome = outcomes[index];
      if (outcome === undefined) {
        const missing: FailureVerdict = {
          action: 'retry',
          maybeSent: true,
          code: 'UNKNOWN',
          reason: 'Missing batch result',
        };
        return this.failed(handler, row, missing, false);
      }
      return 'failure' in outcome
        ? this.failed(handler, row, outcome.failure, false)
        : this.succeeded(handler, row, outcome);
    });
  }

  private succeeded(
    handler: DeliveryHandler,
    row: DeliveryRow,
    success: DeliverySuccess<DeliveryKind>,
  ): AttemptRecord {
    this.targetAnswered(handler.target);
    return {
      type: success.skipped ? 'skipped' : 'succeeded',
      row,
      result: success.result,
      followUps: (success.followUps ?? []).map((followUp) => this.newDelivery(followUp)),
    };
  }

  /** Turns a failure into a retry with backoff or a dead letter, per the retry policy. */
  private failed(
    handler: DeliveryHandler,
    row: DeliveryRow,
    verdict: FailureVerdict,
    requestFailed: boolean,
  ): AttemptRecord {
    const now = this.clock.now();
    if (requestFailed) this.noteOutage(handler.target, verdict);
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

  /** One line per attempt, with the delivery's id, kind, attempt number and call (never its payload). */
  private logAttempt(attempt: AttemptRecord): void {
    const { row } = attempt;
    const log = {
      deliveryId: row.seq,
      kind: row.kind,
      attempt: row.attempts,
      callId: row.call_id ?? undefined,
    };
    switch (attempt.type) {
      case 'succeeded':
      case 'skipped':
        // Debug: a healthy outbox delivers thousands of rows an hour; the failures are what operators read.
        this.logger.debug({ event: 'delivery_attempt', outcome: attempt.type, ...log }, 'delivery attempt');
        return;
      case 'retry':
      case 'dead':
        this.logger.warn(
          { event: 'delivery_attempt', outcome: attempt.type, code: attempt.code, ...log },
          'delivery attempt failed',
        );
        return;
    }
  }

  private unknownKind(row: DeliveryRow): AttemptRecord {
    this.logger.error(
      { event: 'delivery_kind_unknown', kind: row.kind },
      'no handler for this delivery kind',
    );
    return {
      type: 'dead',
      row,
      owner: this.owner,
      code: 'UNKNOWN_KIND',
      reason: `No handler for delivery kind ${row.kind} in this version`,
    };
  }

  private noteOutage(target: string, verdict: FailureVerdict): void {
    if (verdict.action !== 'wait') return;
    const now = this.clock.now();
    const known = this.outages.get(target);
    const consecutive = (known?.consecutive ?? 0) + 1;
    const pausedUntil =
      now + backoffDelayMs(consecutive, this.config.backoffBaseMs, this.config.backoffMaxMs);
    if (known) {
      // Mutated in place: a probe running meanwhile holds this object and clears its `probing` flag.
      known.consecutive = consecutive;
      known.pausedUntil = pausedUntil;
      known.codes.add(verdict.code);
      return;
    }
    this.logger.warn(
      { event: 'delivery_outage_started', target, code: verdict.code },
      `${target} is not taking writes; waiting, probing every ${this.config.probeIntervalMs} ms`,
    );
    this.outages.set(target, {
      consecutive,
      pausedUntil,
      since: now,
      codes: new Set([verdict.code]),
      nextProbeAt: now + this.config.probeIntervalMs,
      probing: false,
    });
  }

  private targetAnswered(target: string): void {
    void this.endOutage(target);
  }

  /** Ends the target's outage, if any: logs it and wakes the rows that waited; resolves once they are woken. */
  private async endOutage(target: string): Promise<void> {
    const outage = this.outages.get(target);
    if (!outage) return;
    this.outages.delete(target);
    const now = this.clock.now();
    this.recovering.set(target, now);
    const seconds = Math.round((now - outage.since) / 1000);
    // Rows that failed during the outage wait out a backoff that grew meanwhile: make them due now.
    await this.repository
      .wakeWaiting(target, [...outage.codes], now)
      .then((woken) =>
        this.logger.log(
          { event: 'delivery_outage_ended', target, outageSeconds: seconds, woken },
          `${target} takes writes again after ${seconds} s; ${woken} waiting deliveries woken`,
        ),
      )
      .catch((error: unknown) =>
        this.logger.warn(
          { event: 'delivery_wake_failed', target, code: (error as { code?: unknown }).code },
          'waiting deliveries not woken; they run when their backoff ends',
        ),
      );
  }

  /**
   * Probes every target that is waiting out an outage, at most once per DELIVERY_PROBE_INTERVAL_MS each; a
   * target that answers ends its outage (its rows are woken). Called by the worker before each poll.
   */
  async probeOutages(): Promise<void> {
    const now = this.clock.now();
    for (const [target, outage] of this.outages) {
      const probe = this.handlers.probeOf(target);
      if (!probe || outage.probing || outage.nextProbeAt > now) continue;
      outage.probing = true;
      try {
        await probe();
        // Awaited, so that the poll that follows claims the woken rows.
        await this.endOutage(target);
      } catch {
        outage.nextProbeAt = this.clock.now() + this.config.probeIntervalMs;
      } finally {
        outage.probing = false;
      }
    }
  }

  /** Logs, once per recovery, when the backlog that an outage left behind is gone. */
  noteBacklogDrained(pending: number): void {
    if (pending > 0 || this.recovering.size === 0) return;
    const now = this.clock.now();
    for (const [target, since] of this.recovering) {
      const seconds = Math.round((now - since) / 1000);
      this.logger.log(
        { event: 'delivery_backlog_drained', target, drainSeconds: seconds },
        `backlog drained ${seconds} s after ${target} came back`,
      );
    }
    this.recovering.clear();
  }

  /** True while an outage's backlog may still be draining (the worker then checks the backlog). */
  get draining(): boolean {
    return this.recovering.size > 0;
  }
}

interface TargetOutage {
  /** Failed attempts in a row; the target's pause grows with it. */
  consecutive: number;
  pausedUntil: number;
  since: number;
  /** The failure codes of the waiting rows, to wake them when the outage ends. */
  codes: Set<string>;
  nextProbeAt: number;
  probing: boolean;
}

function attemptOf(row: DeliveryRow, priority: DeliveryPriority): DeliveryAttempt<DeliveryKind> {
  return {
    payload: JSON.parse(row.payload) as DeliveryAttempt<DeliveryKind>['payload'],
    inDoubt: row.in_doubt === 1,
    priority,
    idempotencyKey: row.idempotency_key,
    callId: row.call_id,
  };
}

function groupByKind(rows: DeliveryRow[]): Map<string, DeliveryRow[]> {
  const groups = new Map<string, DeliveryRow[]>();
  for (const row of rows) groups.set(row.kind, [...(groups.get(row.kind) ?? []), row]);
  return groups;
}

function outcomeOf(attempt: AttemptRecord, applied: boolean): DeliveryOutcome<unknown> {
  switch (attempt.type) {
    case 'succeeded':
    case 'skipped':
      return { status: 'succeeded', result: attempt.result };
    case 'retry':
      return { status: 'pending', reason: applied ? attempt.reason : 'Another worker holds the delivery' };
    case 'dead':
      return applied
        ? { status: 'dead', reason: attempt.reason, code: attempt.code }
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
