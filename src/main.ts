import 'reflect-metadata';
import { createApp } from './configure-app';
import { appConfig, AppConfig } from './config/app.config';
import { ConfigValidationError } from './config/config.util';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get<AppConfig>(appConfig.KEY);
  // A stuck drain must not keep a terminating pod alive forever.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), config.shutdownGraceMs).unref());
  }
  // A burst of new calls opens many connections at once; Node's default accept queue (511) overflowed in the
  // 3,000-call bench, and each overflow costs the caller a TCP SYN retry (1-3 s). The kernel caps it at somaxconn.
  await app.listen({ port: config.port, host: '0.0.0.0', backlog: 4096 });
}

bootstrap().catch((error: unknown) => {
  // Configuration errors list variable names and rules only, never values.
  const text = error instanceof ConfigValidationError ? error.message : 'voice-crm failed to start';
  process.stderr.write(`${text}\n`);
  if (!(error instanceof ConfigValidationError) && error instanceof Error) {
    process.stderr.write(`${error.name}: ${error.message}\n`);
  }
  process.exit(1);
});
