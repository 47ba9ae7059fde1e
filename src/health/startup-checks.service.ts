import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { fail, SetupCheckResult } from '../common/setup-check';
import { appConfig, AppConfig } from '../config/app.config';
import { SalesforceClient } from '../salesforce/salesforce.client';
import { PhoneVerifier } from '../twilio/phone-verifier';
import { SmsSender } from '../twilio/sms-sender';

/**
 * Logs the Salesforce and Twilio set-up checks of `npm run doctor` once at start-up, in the background: a
 * wrong secret or a missing picklist value shows in the first log lines with its fix, and a vendor that is
 * down delays nothing and fails nothing (the outbox and the spoken fallbacks handle outages).
 */
@Injectable()
export class StartupChecksService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SetupCheck');
  private stopping = false;
  /** The checks in flight, for tests and for a shutdown that wants them done. */
  done: Promise<void> = Promise.resolve();

  constructor(
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly salesforce: SalesforceClient,
    private readonly sms: SmsSender,
    private readonly verifier: PhoneVerifier,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.startupChecks) return;
    this.done = Promise.all([
      this.report('salesforce', () => this.salesforce.checkSetup()),
      this.report('twilio', () => this.sms.checkSetup()),
      ...(this.verifier.enabled ? [this.report('twilio', () => this.verifier.checkSetup())] : []),
    ]).then(() => undefined);
  }

  beforeApplicationShutdown(): void {
    // Requests cut off by the shutdown are not findings.
    this.stopping = true;
  }

  private async report(vendor: string, run: () => Promise<SetupCheckResult[]>): Promise<void> {
    const results = await run().catch((error: unknown) => [
      fail('set-up check', error instanceof Error ? error.message : 'unknown error', 'run npm run doctor'),
    ]);
    if (this.stopping) return;
    for (const { check, status, detail, fix } of results) {
      const line = { event: 'setup_check', vendor, check, status, detail, fix };
      const text = `${vendor} ${check}: ${status}${fix ? ` (fix: ${fix})` : ''}`;
      if (status === 'fail' || status === 'warn') this.logger.warn(line, text);
      else this.logger.log(line, text);
    }
  }
}
