import { Injectable, Logger } from '@nestjs/common';
import { DeliveryService } from '../delivery/delivery.service';
import { CallLogSource } from './call-log.builder';
import { CallsRepository } from './calls.repository';
import { SensitiveDataMasker } from './sensitive-data.masker';

/**
 * Queues the call's Task, exactly once per call id (the outbox key is derived from it). One durable write:
 * the call's end and the queued Task commit together; the Task itself is built and sent by the outbox, so an
 * end-of-call report is acknowledged without waiting for Salesforce.
 */
@Injectable()
export class CallLogService {
  private readonly logger = new Logger(CallLogService.name);

  constructor(
    private readonly calls: CallsRepository,
    private readonly deliveries: DeliveryService,
    private readonly masker: SensitiveDataMasker,
  ) {}

  /** `caller` carries what the message that ended the call says about its caller, for a call seen first now. */
  async log(
    source: CallLogSource,
    caller: { callerNumber?: string; twilioCallSid?: string } = {},
  ): Promise<void> {
    const { callId } = source;
    const now = Date.now();
    const endedAt = parseTime(source.endedAt) ?? now;
    const startedAt = parseTime(source.startedAt);
    await this.deliveries.submit(
      {
        kind: 'salesforce.task.create',
        idempotencyKey: `calllog:${callId}`,
        callId,
        // Masked before it is stored: the outbox keeps no card number the caller read out.
        payload: { report: this.masker.report(source) },
      },
      {
        alongWith: (transaction) =>
          this.calls.recordReport(
            callId,
            { ...caller, endedAt, endedReason: source.endedReason, ...(startedAt ? { startedAt } : {}) },
            now,
            transaction,
          ),
      },
    );
    this.logger.log({ event: 'call_log_queued', callId }, 'call log queued');
  }
}

function parseTime(value: string | undefined): number | undefined {
  const parsed = value ? Date.parse(value) : NaN;
  return Number.isFinite(parsed) ? parsed : undefined;
}
