import 'reflect-metadata';
import { createBootstrapLogger } from './common/bootstrap-logger';
import { createApp, listenApp } from './configure-app';
import { appConfig, AppConfig } from './config/app.config';
import { ConfigValidationError } from './config/config.util';

const bootLog = createBootstrapLogger();

async function bootstrap(): Promise<void> {
  const app = await createApp({ bootLog });
  const config = app.get<AppConfig>(appConfig.KEY);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      // A stuck drain must not keep a terminating pod alive forever.
      setTimeout(() => process.exit(1), config.shutdownGraceMs).unref();
      // Readiness turns 503, requests drain, the outbox releases its leases, the store closes last. Exiting
      // (rather than re-raising the signal) runs the log stream's exit flush, so the last lines are written.
      bootLog.info({ event: 'shutdown_requested', signal }, 'shutting down');
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          bootLog.error({ event: 'shutdown_failed', err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  // A burst of new calls opens many connections at once; Node's default accept queue (511) overflowed in the
  // 3,000-call bench, and each overflow costs the caller a TCP SYN retry (1-3 s). The kernel caps it at somaxconn.
  await listenApp(app, { port: config.port, host: '0.0.0.0', backlog: 4096 });
}

bootstrap().catch((error: unknown) => {
  // A JSON line like every other, so the log collector sees why the pod did not start. Configuration errors
  // list variable names and rules only, never values.
  if (error instanceof ConfigValidationError) {
    bootLog.fatal(
      { event: 'config_invalid', problems: error.problems },
      'voice-crm refused to start: invalid configuration',
    );
  } else {
    bootLog.fatal({ event: 'startup_failed', err: error }, 'voice-crm failed to start');
  }
  process.exit(1);
});
