import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { appConfig, AppConfig } from '../config/app.config';

/**
 * On SIGTERM, readiness turns 503 first and the server keeps serving for `SHUTDOWN_DRAIN_DELAY_MS`, so that
 * Kubernetes removes the pod from its Service before the listener closes; then Nest closes the server, which
 * waits for in-flight requests.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ShutdownState.name);
  private drainingSince?: number;

  constructor(@Inject(appConfig.KEY) private readonly config: AppConfig) {}

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.drainingSince = Date.now();
    this.logger.log({ event: 'draining', signal, delayMs: this.config.shutdownDrainDelayMs }, 'draining');
    if (this.config.shutdownDrainDelayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.config.shutdownDrainDelayMs));
    }
  }
}
