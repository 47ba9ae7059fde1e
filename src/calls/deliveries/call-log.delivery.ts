import {
  BatchDeliveryHandler,
  DeliveryAttempt,
  DeliveryRefusal,
  DeliverySuccess,
  OutboxHandler,
} from '../../delivery/delivery-handler';
import { classifyRecordFailure, FailureVerdict } from '../../delivery/retry-policy';
import { SalesforceClient } from '../../salesforce/salesforce.client';
import { RequestPriority } from '../../salesforce/salesforce.types';
import { buildCallLog, CallLog } from '../call-log.builder';
import { CallerIdentityService } from '../caller-identity.service';
import { CallsRepository } from '../calls.repository';
import { CallState } from '../calls.types';
import { SensitiveDataMasker } from '../sensitive-data.masker';
import { classifySalesforceFailure } from './failure-verdicts';

type Kind = 'salesforce.task.create';
type Outcome = DeliverySuccess<Kind> | DeliveryRefusal;

/** `/composite/sobjects` takes at most 200 records per request. */
export const TASK_BATCH_LIMIT = 200;

/**
 * Logs calls as Tasks, 200 to a Salesforce request. Each Task is built when its row runs, from the report and
 * the call as it is then: the cases opened in the call (by then created, since a call's rows run in order)
 * and its caller — identified here, in the background, when nobody could during the call, so an outage does
 * not cost the Task its contact. After an attempt that may have landed, Tasks are looked up by CallObject
 * before they are sent again.
 */
@OutboxHandler()
export class CallLogDelivery implements BatchDeliveryHandler<Kind> {
  readonly kind = 'salesforce.task.create';
  readonly target = 'salesforce';
  readonly batchSize = TASK_BATCH_LIMIT;

  constructor(
    private readonly salesforce: SalesforceClient,
    private readonly calls: CallsRepository,
    private readonly identities: CallerIdentityService,
    private readonly masker: SensitiveDataMasker,
  ) {}

  classify(error: unknown): FailureVerdict {
    return classifySalesforceFailure(error);
  }

  /** The Salesforce target's probe (every Salesforce handler writes to the same org). */
  probe(): Promise<void> {
    return this.salesforce.probe();
  }

  async deliverBatch(attempts: DeliveryAttempt<Kind>[]): Promise<Outcome[]> {
    const outcomes = new Map<number, Outcome>();
    const logs = new Map<number, CallLog>();
    await Promise.all(
      attempts.map(async (attempt, index) => {
        try {
          logs.set(index, await this.callLogOf(attempt));
        } catch (error) {
          outcomes.set(index, { failure: this.classify(error) });
        }
      }),
    );

    const priority = attempts[0]?.priority ?? 'background';
    const doubtful = [...logs].filter(([index]) => attempts[index].inDoubt);
    if (doubtful.length > 0) {
      try {
        const existing = await this.salesforce.findCallTasks(
          doubtful.map(([, log]) => log.task.callId),
          priority,
        );
        for (const [index, log] of doubtful) {
          const taskId = existing.get(log.task.callId);
          if (taskId) outcomes.set(index, this.logged(attempts[index], log, taskId));
        }
      } catch (error) {
        // The check itself sent nothing; these rows stay in doubt and wait, the others go ahead.
        const failure = { ...this.classify(error), maybeSent: true };
        for (const [index] of doubtful) outcomes.set(index, { failure });
      }
    }

    const toSend = [...logs].filter(([index]) => !outcomes.has(index));
    if (toSend.length > 0) await this.send(toSend, attempts, outcomes, priority);
    return attempts.map(
      (_attempt, index) =>
        outcomes.get(index) ?? {
          failure: classifyRecordFailure('UNKNOWN', 'No result for this record', true),
        },
    );
  }

  private async send(
    toSend: [number, CallLog][],
    attempts: DeliveryAttempt<Kind>[],
    outcomes: Map<number, Outcome>,
    priority: RequestPriority,
  ): Promise<void> {
    const results = await this.salesforce.createCallTasks(
      toSend.map(([, log]) => log.task),
      priority,
    );
    toSend.forEach(([index, log], position) => {
      const result = results[position];
      if (result === undefined || result.callId !== log.task.callId) return;
      outcomes.set(
        index,
        result.ok
          ? this.logged(attempts[index], log, result.id)
          : { failure: classifyRecordFailure(result.code, result.message, result.retryable) },
      );
    });
  }

  private logged(attempt: DeliveryAttempt<Kind>, log: CallLog, taskId: string): DeliverySuccess<Kind> {
    const { transcript } = log;
    return {
      result: { id: taskId },
      followUps: transcript
        ? [
            {
              kind: 'salesforce.task.transcript',
              idempotencyKey: `${attempt.idempotencyKey}:transcript`,
              callId: attempt.callId ?? undefined,
              payload: { taskId, title: transcript.title, content: transcript.content },
            },
          ]
        : [],
    };
  }

  /** The Task to write, its free text masked (rows queued before masking was on carry it unmasked). */
  private async callLogOf(attempt: DeliveryAttempt<Kind>): Promise<CallLog> {
    const { payload } = attempt;
    if ('task' in payload) {
      const { task, transcript } = payload;
      return {
        task: { ...task, description: this.masker.mask(task.description) },
        ...(transcript
          ? { transcript: { ...transcript, content: this.masker.mask(transcript.content) } }
          : {}),
      };
    }
    const source = this.masker.report(payload.report);
    const state = await this.identified(await this.calls.get(source.callId), attempt.priority);
    return buildCallLog(source, state, state?.casesCreated ?? [], new Date());
  }

  /** The call with its caller identified, when they were never looked up (or the lookup failed). */
  private async identified(
    state: CallState | undefined,
    priority: RequestPriority,
  ): Promise<CallState | undefined> {
    if (!state || state.identity.kind !== 'unknown' || !state.callerNumber) return state;
    const identity = await this.identities.resolve(state.callerNumber, priority);
    await this.calls.saveIdentity(state.id, identity, Date.now());
    return { ...state, identity };
  }
}
