import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { VapiApiClient } from '../vapi/api/vapi-api.client';
import { CallLogSource } from './call-log.builder';
import { CallLogService } from './call-log.service';
import { callsConfig, CallsConfig } from './calls.config';
import { CallsRepository } from './calls.repository';
import { CallState } from './calls.types';

/** After this many reconcile windows without a usable VAPI record, the call is logged from what we know. */
const GIVE_UP_WINDOWS = 10;

/**
 * VAPI does not retry webhooks: an end-of-call report can be lost. For calls that ended (status-update) and got
 * no report within RECONCILE_AFTER_SECONDS, the call is fetched from the VAPI API and logged from there. Several
 * replicas may reconcile the same call: the call log's outbox key makes that harmless.
 */
@Injectable()
export class CallReconcilerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CallReconcilerService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @Inject(callsConfig.KEY) private readonly config: CallsConfig,
    private readonly calls: CallsRepository,
    private readonly vapi: VapiApiClient,
    private readonly callLog: CallLogService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.reconcilerEnabled) return;
    this.timer = setInterval(() => void this.reconcileOnce(), this.config.reconcileIntervalSeconds * 1000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass; returns how many calls were logged. Public so tests and operators can run it on demand. */
  reconcileOnce(now = Date.now()): Promise<number> {
    this.running ??= this.pass(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(now: number): Promise<number> {
    const windowMs = this.config.reconcileAfterSeconds * 1000;
    const due = await this.calls.findUnreported(now - windowMs, 50);
    let logged = 0;
    for (const call of due) {
      try {
        const source = await this.sourceFor(
          call,
          now - (call.endedAt?.getTime() ?? now) > GIVE_UP_WINDOWS * windowMs,
        );
        if (!source) continue;
        await this.callLog.log(source);
        logged += 1;
      } catch (error) {
        this.logger.warn(
          { event: 'reconcile_failed', callId: call.id, code: (error as { code?: string }).code },
          'reconcile failed; will try again',
        );
      }
    }
    return logged;
  }

  /** The VAPI record when there is one; our own state once VAPI cannot help (or after the give-up time). */
  private async sourceFor(call: CallState, givingUp: boolean): Promise<CallLogSource | undefined> {
    const ownState: CallLogSource = {
      callId: call.id,
      endedReason: call.endedReason,
      startedAt: call.startedAt?.toISOString(),
      endedAt: call.endedAt?.toISOString(),
      summary: 'The end-of-call report never arrived; logged from the call events the service received.',
    };
    if (!this.vapi.enabled) return ownState;
    try {
      const record = await this.vapi.getCall(call.id);
      if (!record) return ownState;
      return {
        callId: call.id,
        transcript: record.transcript,
        summary: record.summary,
        endedReason: record.endedReason ?? call.endedReason,
        startedAt: record.startedAt ?? ownState.startedAt,
        endedAt: record.endedAt ?? ownState.endedAt,
        recordingUrl: record.recordingUrl,
        ...(record.structured ? { structured: record.structured } : {}),
      };
    } catch (error) {
      if (givingUp) return ownState;
      throw error;
    }
  }
}
