import { Injectable, Logger } from '@nestjs/common';
import { DeliveryService } from '../delivery/delivery.service';
import { CallLogSource, buildCallLog } from './call-log.builder';
import { CallsRepository } from './calls.repository';
import { CreatedCaseRef } from './calls.types';

/** Queues the call's Task (exactly once per call id: the outbox key is derived from it). */
@Injectable()
export class CallLogService {
  private readonly logger = new Logger(CallLogService.name);

  constructor(
    private readonly calls: CallsRepository,
    private readonly deliveries: DeliveryService,
  ) {}

  async log(source: CallLogSource): Promise<void> {
    const state = await this.calls.get(source.callId);
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
}
