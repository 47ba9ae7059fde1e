import { Injectable, Logger } from '@nestjs/common';
import { DeliveryService } from '../delivery/delivery.service';
import { CallLogSource, buildCallLog } from './call-log.builder';
import { CallsRepository } from './calls.repository';
import { CallerIdentityService } from './caller-identity.service';
import { CallState, CreatedCaseRef } from './calls.types';

/** Queues the call's Task (exactly once per call id: the outbox key is derived from it). */
@Injectable()
export class CallLogService {
  private readonly logger = new Logger(CallLogService.name);

  constructor(
    private readonly calls: CallsRepository,
    private readonly deliveries: DeliveryService,
    private readonly identities: CallerIdentityService,
  ) {}

  async log(source: CallLogSource): Promise<void> {
    const state = await this.identified(await this.calls.get(source.callId));
    // Cases created late by the outbox are not on the call row yet; their deliveries know them.
    const cases: CreatedCaseRef[] = [...(state?.casesCreated ?? [])];
    for (const delivery of await this.deliveries.listForCall(source.callId)) {
      if (delivery.kind === 'salesforce.case.create' && delivery.status === 'succeeded' && delivery.result) {
        if (!cases.some((known) => known.id === delivery.result?.id)) cases.push(delivery.result);
      }
    }
    const log = buildCallLog(source, state, cases, new Date());
    await this.deliveries.submit({
      kind: 'salesforce.task.create',
      idempotencyKey: `calllog:${source.callId}`,
      callId: source.callId,
      payload: { task: log.task, ...(log.transcript ? { transcript: log.transcript } : {}) },
    });
    await this.calls.markReportReceived(source.callId, Date.now());
    this.logger.log(
      { event: 'call_log_queued', callId: source.callId, cases: cases.length },
      'call log queued',
    );
  }

  /**
   * A call whose caller was never looked up (no assistant-request, or its lookup failed) gets one more try within
   * the lookup budget, so its Task can still name the contact; if that fails too, the Task is logged without.
   */
  private async identified(state: CallState | undefined): Promise<CallState | undefined> {
    if (!state || state.identity.kind !== 'unknown' || !state.callerNumber) return state;
    const found = await this.identities.identify(state.callerNumber).withinBudget;
    if (found.identity.kind === 'unknown') return state;
    await this.calls.saveIdentity(state.id, found.identity, Date.now());
    return { ...state, identity: found.identity };
  }
}
