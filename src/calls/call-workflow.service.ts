import { Inject, Injectable, Logger } from '@nestjs/common';
import { DeliveryService } from '../delivery/delivery.service';
import { StoreError } from '../store/store.errors';
import { AssistantPlan, TransferPlan, VapiCallHandler } from '../vapi/vapi-call.handler';
import { CallRef, RecordedEvent } from '../vapi/vapi-events';
import { AssistantPlanBuilder } from './assistant-plan.builder';
import { CallLogService } from './call-log.service';
import { CallerIdentityService } from './caller-identity.service';
import { callsConfig, CallsConfig } from './calls.config';
import { CallsRepository } from './calls.repository';
import { CallVoice } from './voice/call-voice';

/**
 * The last status recorded per call, so repeated status updates and every transcript final do not each cost a
 * durable write (an fsync on SQLite). Bounded: the oldest entries are forgotten, which only costs a write.
 */
class RecordedStatuses {
  private readonly statuses = new Map<string, string>();
  constructor(private readonly capacity: number) {}

  /** True when `status` is news for this call. */
  isNew(callId: string, status: string): boolean {
    const known = this.statuses.get(callId);
    return known !== status && known !== 'ended';
  }

  /** Remembers `status` once it is stored: a write that failed must be tried again by VAPI's retry. */
  remember(callId: string, status: string): void {
    this.statuses.delete(callId);
    this.statuses.set(callId, status);
    if (this.statuses.size > this.capacity) {
      const oldest = this.statuses.keys().next().value;
      if (oldest !== undefined) this.statuses.delete(oldest);
    }
  }
}

/** The life of a call, as the VAPI front door hands it over. */
@Injectable()
export class CallWorkflowService extends VapiCallHandler {
  private readonly logger = new Logger(CallWorkflowService.name);
  private readonly recorded = new RecordedStatuses(20_000);

  constructor(
    @Inject(callsConfig.KEY) private readonly config: CallsConfig,
    private readonly calls: CallsRepository,
    private readonly identities: CallerIdentityService,
    private readonly assistants: AssistantPlanBuilder,
    private readonly deliveries: DeliveryService,
    private readonly callLog: CallLogService,
    private readonly voice: CallVoice,
  ) {
    super();
  }

  async assistantFor(call: CallRef): Promise<AssistantPlan> {
    const { callId } = call;
    if (callId) {
      await this.calls.record(
        callId,
        { callerNumber: call.customerNumber, twilioCallSid: call.twilioCallSid, status: 'ringing' },
        Date.now(),
      );
    }
    const lookup = this.identities.identify(call.customerNumber);
    // A slow lookup still finishes in the background and is kept for the tools of this call.
    if (callId) {
      void lookup.eventual
        .then((found) =>
          found.complete ? this.calls.saveIdentity(callId, found.identity, Date.now()) : undefined,
        )
        .catch(() => undefined);
    }
    const found = await lookup.withinBudget;
    return this.assistants.build(found.identity, found.openCases);
  }

  fallbackAssistant(): AssistantPlan {
    return this.assistants.build({ kind: 'unknown' }, []);
  }

  async transferFor(call: CallRef): Promise<TransferPlan> {
    const { say } = this.voice;
    if (!this.config.transferNumber) return { kind: 'unavailable', message: say.transfer.unavailable };
    const plan: TransferPlan = {
      kind: 'transfer',
      number: this.config.transferNumber,
      message: say.transfer.connecting,
    };
    const { callId } = call;
    if (!callId) return plan;
    const at = new Date().toISOString();
    await this.calls.record(callId, { callerNumber: call.customerNumber }, Date.now());
    await this.calls.setTransfer(callId, { number: this.config.transferNumber, at }, Date.now());
    // The human agent picks up with context: every case opened in this call gets a note (via the outbox).
    const state = await this.calls.get(callId);
    for (const created of state?.casesCreated ?? []) {
      await this.deliveries.submit({
        kind: 'salesforce.case.comment',
        idempotencyKey: `transfer:${callId}:${created.id}`,
        callId,
        payload: {
          caseId: created.id,
          body: `The caller asked for a human agent and was transferred to the support line at ${at} (VAPI call ${callId}).`,
        },
      });
    }
    return plan;
  }

  /** Throws a StoreError when what the event tells was not stored: the webhook then answers 503. */
  async record(event: RecordedEvent): Promise<void> {
    try {
      await this.recordDurably(event);
    } catch (error) {
      throw StoreError.from(error);
    }
  }

  private async recordDurably(event: RecordedEvent): Promise<void> {
    const { callId } = event.call;
    if (!callId) return;
    const now = Date.now();
    const base = { callerNumber: event.call.customerNumber, twilioCallSid: event.call.twilioCallSid };
    switch (event.type) {
      case 'status-update': {
        const { status, endedReason } = event;
        if (!status || !this.recorded.isNew(callId, status)) return;
        await this.calls.record(
          callId,
          {
            ...base,
            status,
            ...(status === 'in-progress' ? { startedAt: now } : {}),
            ...(status === 'ended' ? { endedAt: now, endedReason } : {}),
          },
          now,
        );
        this.recorded.remember(callId, status);
        return;
      }
      case 'transcript':
        // Finals prove the call is live; the words themselves arrive whole in the end-of-call report.
        if (event.final && this.recorded.isNew(callId, 'in-progress')) {
          await this.calls.record(callId, { ...base, status: 'in-progress' }, now);
          this.recorded.remember(callId, 'in-progress');
        }
        return;
      case 'end-of-call-report':
        // One durable write: the call's end and its queued call log (CallLogService).
        await this.callLog.log({ callId, ...event.report }, base);
        return;
      case 'hang':
        this.logger.warn({ event: 'assistant_hang', callId }, 'assistant reported a delay');
        return;
      case 'transfer-update':
        this.logger.log(
          { event: 'transfer_update', callId, hasDestination: event.hasDestination },
          'transfer',
        );
        return;
    }
  }
}
