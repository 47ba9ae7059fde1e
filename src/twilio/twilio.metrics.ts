import { Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { InjectMetricsRegistry } from '../metrics/metrics.tokens';
import { TwilioErrorCode } from './twilio.errors';

/** Status values Twilio documents for messages; anything else is counted as `other` to bound label cardinality. */
const KNOWN_MESSAGE_STATUSES = new Set([
  'queued',
  'sending',
  'sent',
  'failed',
  'delivered',
  'undelivered',
  'receiving',
  'received',
  'accepted',
  'scheduled',
  'read',
  'partially_delivered',
  'canceled',
]);

/** Prometheus counters of the Twilio module, registered once per app in the app's registry. */
@Injectable()
export class TwilioMetrics {
  private readonly smsSent: Counter;
  private readonly smsFailed: Counter<'code'>;
  private readonly messageStatus: Counter<'status' | 'error_code'>;

  constructor(@InjectMetricsRegistry() registry: Registry) {
    this.smsSent = new Counter({
      name: 'sms_sent_total',
      help: 'SMS accepted by Twilio',
      registers: [registry],
    });
    this.smsFailed = new Counter({
      name: 'sms_failed_total',
      help: 'SMS that Twilio did not accept, by error code (after in-process retries)',
      labelNames: ['code'],
      registers: [registry],
    });
    this.messageStatus = new Counter({
      name: 'twilio_message_status_callbacks_total',
      help: 'Message status callbacks received from Twilio, by status and Twilio error code',
      labelNames: ['status', 'error_code'],
      registers: [registry],
    });
  }

  recordSent(): void {
    this.smsSent.inc();
  }

  recordFailed(code: TwilioErrorCode): void {
    this.smsFailed.inc({ code });
  }

  recordStatusCallback(status: string, errorCode: string | undefined): void {
    this.messageStatus.inc({
      status: KNOWN_MESSAGE_STATUSES.has(status) ? status : 'other',
      // Twilio error codes are 5-digit numbers; anything else would be unbounded input.
      error_code:
        errorCode === undefined || errorCode === '' ? '' : /^\d{3,6}$/.test(errorCode) ? errorCode : 'other',
    });
  }
}
