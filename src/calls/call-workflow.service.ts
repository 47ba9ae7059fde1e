import { Inject, Injectable, Logger } from '@nestjs/common';
import { DeliveryService } from '../delivery/delivery.service';
import { StoreError } from '../store/store.errors';
import { VapiLiveCallControl } from '../vapi/api/vapi-live-call-control';
import {
  AssistantPlan,
  KnowledgeDocument,
  TransferPlan,
  VapiCallHandler,
  WarmTransfer,
} from '../vapi/vapi-call.handler';
import { CallRef, RecordedEvent } from '../vapi/vapi-events';
import { AssistantPlanBuilder } from './assistant-plan.builder';
import { CallLatencyMetrics } from './call-latency.metrics';
import { CallLogService } from './call-log.service';
import { CallerIdentityService, IdentifiedCaller } from './caller-identity.service';
import { callsConfig, CallsConfig } from './calls.config';
import { CallsRepository } from './calls.repository';
import {
  assuranceOf,
  CallState,
  isIdentified,
  TRANSFER_MODE_WORDS,
  TRANSFER_OUTCOME_WORDS,
  TransferMode,
  transferOutcome,
} from './calls.types';
import { KnowledgeService } from './knowledge/knowledge.service';
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

/**
 * A first name as it may be said to a colleague or put into the live call: a Contact's FirstName holding an
 * email address or digits (data entry happens) is not said at all.
 */
function sayableFirstName(firstName: string | undefined): string | undefined {
  const name = firstName?.trim();
  return name && name.length <= 40 && !/[@\d]/.test(name) ? name : undefined;
}

/** The life of a call, as the VAPI front door hands it over. */
@Injectable()
export class CallWorkflowService extends VapiCallHandler {
  private readonly logger = new Logger(CallWorkflowService.name);
  private readonly recorded = new RecordedStatuses(20_000);
  /** Calls whose turn latencies are in the histogram: a repeated report must not count twice. */
  private readonly latencyObserved = new RecordedStatuses(20_000);

  constructor(
    @Inject(callsConfig.KEY) private readonly config: CallsConfig,
    private readonly calls: CallsRepository,
    private readonly identities: CallerIdentityService,
    private readonly assistants: AssistantPlanBuilder,
    private readonly deliveries: DeliveryService,
    private readonly callLog: CallLogService,
    private readonly voice: CallVoice,
    private readonly knowledge: KnowledgeService,
    private readonly control: VapiLiveCallControl,
    private readonly latency: CallLatencyMetrics,
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
    if (!found.complete && !isIdentified(found.identity) && call.controlUrl) {
      void this.tellLateLookup(call.controlUrl, lookup.eventual);
    }
    return this.assistants.build(found.identity, found.openCases);
  }

  /**
   * The lookup missed the budget and the call started generic: when it does identify the caller, the live
   * call hears of it through Live Call Control (VAPI's advice: answer assistant-request fast, enrich later).
   * First name only, inserted silently; never awaited on the call's path, never throws.
   */
  private async tellLateLookup(controlUrl: string, eventual: Promise<IdentifiedCaller>): Promise<void> {
    try {
      const late = await eventual;
      const firstName = sayableFirstName(isIdentified(late.identity) ? late.identity.firstName : undefined);
      if (!late.complete || !firstName) return;
      const outcome = await this.control.addSystemMessage(
        controlUrl,
        this.voice.say.assistant.lateRecognised(firstName),
        false,
      );
      this.logger.log({ event: 'late_lookup_pushed', outcome }, 'late caller lookup pushed to the call');
    } catch {
      // Best effort: the tools still find the identity saved for the call.
    }
  }

  fallbackAssistant(): AssistantPlan {
    return this.assistants.build({ kind: 'unknown' }, []);
  }

  async transferFor(call: CallRef): Promise<TransferPlan> {
    const { say } = this.voice;
    const number = this.config.transferNumber;
    if (!number) return { kind: 'unavailable', message: say.transfer.unavailable };
    const { callId } = call;
    if (callId) await this.calls.record(callId, { callerNumber: call.customerNumber }, Date.now());
    const state = callId ? await this.calls.get(callId) : undefined;
    const mode = this.transferMode();
    const plan: TransferPlan = {
      kind: 'transfer',
      number,
      message: say.transfer.connecting,
      ...(mode === 'blind' ? {} : { warm: this.warmTransfer(mode, state) }),
    };
    if (!callId) return plan;
    const at = new Date().toISOString();
    await this.calls.setTransfer(callId, { number, at, mode }, Date.now());
    // The human agent picks up with context: every case opened in this call gets a note (via the outbox).
    for (const created of state?.casesCreated ?? []) {
      await this.deliveries.submit({
        kind: 'salesforce.case.comment',
        idempotencyKey: `transfer:${callId}:${created.id}`,
        callId,
        payload: {
          caseId: created.id,
          body: `The caller asked for a human agent and was transferred (${TRANSFER_MODE_WORDS[mode]}) to the support line at ${at} (VAPI call ${callId}).`,
        },
      });
    }
    return plan;
  }

  private transferMode(): TransferMode {
    if (this.config.transferMode === 'blind') return 'blind';
    return this.config.transferWarmStyle === 'summary' ? 'warm-summary' : 'warm-message';
  }

  /** The briefing names the caller only when recognised, and holds no number or email (sentences.ts). */
  private warmTransfer(mode: 'warm-message' | 'warm-summary', state: CallState | undefined): WarmTransfer {
    const { say } = this.voice;
    const notAnswered = say.transfer.warmNotAnswered;
    if (mode === 'warm-summary') {
      return { style: 'summary', summaryInstructions: say.transfer.warmSummaryInstructions, notAnswered };
    }
    const identity = state?.identity ?? { kind: 'unknown' };
    const assurance = assuranceOf(identity, state?.verification ?? { attempts: 0 });
    return {
      style: 'message',
      message: say.transfer.warmBriefing({
        firstName: sayableFirstName(isIdentified(identity) ? identity.firstName : undefined),
        assurance,
        casesOpened: (state?.casesCreated ?? []).map((created) => created.caseNumber),
      }),
      notAnswered,
    };
  }

  /** After the call: the cases opened in it get a note saying whether the human took the transfer. */
  private async noteTransferOutcome(callId: string, endedReason: string | undefined): Promise<void> {
    const state = await this.calls.get(callId);
    const transfer = state?.transfer;
    if (!state || !transfer) return;
    const outcome = transferOutcome(transfer, endedReason);
    if (outcome === 'unknown') return;
    for (const created of state.casesCreated) {
      await this.deliveries.submit({
        kind: 'salesforce.case.comment',
        idempotencyKey: `transfer-outcome:${callId}:${created.id}`,
        callId,
        payload: {
          caseId: created.id,
          body: `Transfer to a human agent (${TRANSFER_MODE_WORDS[transfer.mode ?? 'blind']}): ${TRANSFER_OUTCOME_WORDS[outcome]} (VAPI call ${callId}).`,
        },
      });
    }
  }

  async knowledgeFor(_call: CallRef, question: string): Promise<KnowledgeDocument[]> {
    if (question.trim().length < 2) return [];
    const found = await this.knowledge.answer(question);
    if (found.kind !== 'found') return [];
    return found.snippets.map((snippet) => ({
      content: `${snippet.title}: ${snippet.snippet}`,
      similarity: snippet.similarity,
      id: snippet.articleId,
    }));
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
        if (this.latencyObserved.isNew(callId, 'observed')) this.latency.observe(event.turnLatencies);
        await this.noteTransferOutcome(callId, event.report.endedReason);
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
