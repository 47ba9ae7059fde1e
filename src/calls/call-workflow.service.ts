import { Inject, Injectable, Logger } from '@nestjs/common';
import { DeliveryService } from '../delivery/delivery.service';
import { VapiCallHandler } from '../vapi/vapi-call.handler';
import { isObject } from '../vapi/vapi-message.parser';
import {
  AssistantRequestResponse,
  JsonObject,
  RecordedEventType,
  TransferDestinationResponse,
  VapiCallContext,
} from '../vapi/vapi-message.types';
import { VAPI_TOOL_METADATA, VapiToolDefinition } from '../vapi/vapi-tool.decorator';
import { AssistantBuilder } from './assistant.builder';
import { readEndOfCallReport } from './call-log.builder';
import { CallLogService } from './call-log.service';
import { CallerIdentityService } from './caller-identity.service';
import { callsConfig, CallsConfig } from './calls.config';
import { CallsRepository } from './calls.repository';
import { CALL_TOOLS } from './tools';

function toolDefinitions(): VapiToolDefinition[] {
  return CALL_TOOLS.map((tool) => Reflect.getMetadata(VAPI_TOOL_METADATA, tool) as VapiToolDefinition);
}

const TRANSFER_LINE = "I'm connecting you with a colleague now. Please stay on the line.";

/**
 * The last status recorded per call, so repeated status updates and every transcript final do not each cost a
 * durable write (an fsync on SQLite). Bounded: the oldest entries are forgotten, which only costs a write.
 */
class RecordedStatuses {
  private readonly statuses = new Map<string, string>();
  constructor(private readonly capacity: number) {}

  /** True when `status` is news for this call (and remembers it). */
  isNew(callId: string, status: string): boolean {
    const known = this.statuses.get(callId);
    if (known === status || known === 'ended') return false;
    this.statuses.delete(callId);
    this.statuses.set(callId, status);
    if (this.statuses.size > this.capacity) {
      const oldest = this.statuses.keys().next().value;
      if (oldest !== undefined) this.statuses.delete(oldest);
    }
    return true;
  }
}

/** The life of a call, as the VAPI front door hands it over. */
@Injectable()
export class CallWorkflowService extends VapiCallHandler {
  private readonly logger = new Logger(CallWorkflowService.name);
  private readonly tools = toolDefinitions();
  private readonly recorded = new RecordedStatuses(20_000);

  constructor(
    @Inject(callsConfig.KEY) private readonly config: CallsConfig,
    private readonly calls: CallsRepository,
    private readonly identities: CallerIdentityService,
    private readonly assistants: AssistantBuilder,
    private readonly deliveries: DeliveryService,
    private readonly callLog: CallLogService,
  ) {
    super();
  }

  async assistantRequest(_message: JsonObject, context: VapiCallContext): Promise<AssistantRequestResponse> {
    const { callId } = context;
    if (callId) {
      await this.calls.record(
        callId,
        {
          callerNumber: context.customerNumber,
          twilioCallSid: context.phoneCallProviderId,
          status: 'ringing',
        },
        Date.now(),
      );
    }
    const lookup = this.identities.identify(context.customerNumber);
    // A slow lookup still finishes in the background and is kept for the tools of this call.
    if (callId) {
      void lookup.eventual
        .then((found) =>
          found.complete ? this.calls.saveIdentity(callId, found.identity, Date.now()) : undefined,
        )
        .catch(() => undefined);
    }
    const found = await lookup.withinBudget;
    return this.assistants.build(found.identity, found.openCases, this.tools);
  }

  fallbackAssistant(): AssistantRequestResponse {
    return this.assistants.build({ kind: 'unknown' }, [], this.tools);
  }

  async transferDestination(
    _message: JsonObject,
    context: VapiCallContext,
  ): Promise<TransferDestinationResponse> {
    if (!this.config.transferNumber) return { error: 'Transfers are not available on this line right now.' };
    const destination: TransferDestinationResponse = {
      destination: { type: 'number', number: this.config.transferNumber, message: TRANSFER_LINE },
    };
    const { callId } = context;
    if (!callId) return destination;
    const at = new Date().toISOString();
    await this.calls.record(callId, { callerNumber: context.customerNumber }, Date.now());
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
    return destination;
  }

  async recordEvent(type: RecordedEventType, message: JsonObject, context: VapiCallContext): Promise<void> {
    const { callId } = context;
    if (!callId) return;
    const now = Date.now();
    const base = { callerNumber: context.customerNumber, twilioCallSid: context.phoneCallProviderId };
    switch (type) {
      case 'status-update': {
        const status = typeof message.status === 'string' ? message.status : undefined;
        const endedReason = typeof message.endedReason === 'string' ? message.endedReason : undefined;
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
        return;
      }
      case 'transcript':
      case 'transcript[transcriptType="final"]':
        // Finals prove the call is live; the words themselves arrive whole in the end-of-call report.
        if (message.transcriptType === 'final' && this.recorded.isNew(callId, 'in-progress')) {
          await this.calls.record(callId, { ...base, status: 'in-progress' }, now);
        }
        return;
      case 'end-of-call-report': {
        const source = readEndOfCallReport(callId, message);
        const endedAt = source.endedAt ? Date.parse(source.endedAt) : now;
        const startedAt = source.startedAt ? Date.parse(source.startedAt) : undefined;
        await this.calls.record(
          callId,
          {
            ...base,
            status: 'ended',
            endedAt,
            endedReason: source.endedReason,
            ...(startedAt ? { startedAt } : {}),
          },
          now,
        );
        await this.callLog.log(source);
        return;
      }
      case 'hang':
        this.logger.warn({ event: 'assistant_hang', callId }, 'assistant reported a delay');
        return;
      case 'transfer-update':
        this.logger.log(
          { event: 'transfer_update', callId, hasDestination: isObject(message.destination) },
          'transfer',
        );
        return;
    }
  }
}
