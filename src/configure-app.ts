import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule, AppModuleOptions } from './app.module';
import { appConfig, AppConfig } from './config/app.config';
import { validateProcessEnvironment } from './config/env.validation';
import { vapiConfig } from './vapi/vapi.config';
import { WebhookMetrics } from './vapi/webhook-metrics';
import { BootstrapLogger, createBootstrapLogger } from './common/bootstrap-logger';
import type { Logger as PinoInstance } from 'pino';

/** Creates the Fastify-backed app with the raw body kept (signatures are checked over the exact bytes). */
export async function createApp({
  bootLog,
  ...options
}: AppModuleOptions & { bootLog?: PinoInstance } = {}): Promise<NestFastifyApplication> {
  // End-of-call reports carry the whole conversation: far above Fastify's 1 MiB default. Fastify applies the
  // server-wide limit to every route, so it is set on the adapter.
  validateProcessEnvironment();
  const bodyLimit = vapiConfig().bodyLimitBytes;
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(options),
    new FastifyAdapter({ trustProxy: true, bodyLimit }),
    {
      rawBody: true,
      bufferLogs: true,
      abortOnError: false,
      // Lines written before configureApp installs the app's logger (and any failure to create the app) are
      // JSON too; see bootstrap-logger.ts.
      logger: new BootstrapLogger(bootLog ?? createBootstrapLogger(options.logStream)),
    },
  );
  configureApp(app);
  return app;
}

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('voice-crm')
    .setDescription(
      'Back end of a VAPI voice agent with live Salesforce data. VAPI posts every server message of every call ' +
        'to /vapi/webhook; operators use /health, /metrics and the /admin endpoints.',
    )
    .setVersion('0.1.0')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-signature' }, 'vapi-hmac')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-vapi-secret' }, 'vapi-secret')
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'vapi-bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-vapi-signature' }, 'vapi-signature')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'admin-api-key')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Everything that makes the app behave as in production: logger, body limit, validation, docs. (Signals are
 * main.ts's: it closes the app, then exits, so the last log lines are flushed.)
 * End-to-end tests call this too, so tests and production cannot drift apart.
 */
export function configureApp(app: NestFastifyApplication): void {
  const config = app.get<AppConfig>(appConfig.KEY);
  app.useLogger(app.get(Logger));
  app.get(WebhookMetrics).attach(app.getHttpAdapter().getInstance());
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true }));
  if (config.docsEnabled) {
    SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
      jsonDocumentUrl: 'docs-json',
      raw: ['json'],
    });
  }
}
