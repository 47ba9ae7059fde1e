import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyHttpOptions } from 'fastify';
import type { Server, ServerOptions } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppModule, AppModuleOptions } from './app.module';
import { appConfig, AppConfig } from './config/app.config';
import { validateProcessEnvironment } from './config/env.validation';
import { vapiConfig } from './vapi/vapi.config';
import { WEBHOOK_PATHS, WebhookMetrics } from './vapi/webhook-metrics';
import { listenOperatorPort, separateOperatorPort } from './common/operator-port';
import { createBootstrapLogger } from './common/bootstrap-logger';
import { NestJsonLogger } from './common/nest-json-logger';
import { APP_LOGGER } from './common/logging.module';
import { attachRequestContext } from './common/request-context';
import { attachAccessLog } from './common/access-log';
import type { Logger as PinoInstance } from 'pino';
import { pathOf } from './common/url-path';

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
    new FastifyAdapter(fastifyOptions(appConfig(), bodyLimit)),
    {
      rawBody: true,
      // configureApp registers the parsers: webhook bodies stay bytes until their signature is checked.
      bodyParser: false,
      bufferLogs: true,
      abortOnError: false,
      // Lines written before configureApp installs the app's logger (and any failure to create the app) are
      // JSON too; see bootstrap-logger.ts.
      logger: new NestJsonLogger(bootLog ?? createBootstrapLogger(options.logStream)),
    },
  );
  configureApp(app);
  return app;
}

/** The timeouts of a listener: slow or silent clients are cut off instead of holding a socket forever. */
function httpServerOptions(config: AppConfig): ServerOptions {
  return {
    requestTimeout: config.http.requestTimeoutMs,
    headersTimeout: config.http.headersTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    // How often Node checks the two timeouts above (default 30 s, which would let a trickle run on).
    connectionsCheckingInterval: 1_000,
  };
}

function fastifyOptions(config: AppConfig, bodyLimit: number): FastifyHttpOptions<Server> {
  return {
    bodyLimit,
    // X-Forwarded-For only from the configured proxies: otherwise anyone could choose their client address.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    requestTimeout: config.http.requestTimeoutMs,
    connectionTimeout: config.http.idleTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    http: httpServerOptions(config),
  };
}

/**
 * JSON and form bodies, with the raw bytes kept (signatures are checked over them). A webhook body is not
 * parsed here at all: its signature is checked first (VapiSignatureGuard), then the spoken-fallback
 * interceptor parses it, so an unsigned body costs no JSON parsing before its 401.
 */
function registerBodyParsers(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<Server>('application/json', { bodyLimit }, (request, body, done) => {
    if (WEBHOOK_PATHS.has(pathOf(request.url))) return done(null, undefined);
    // Fastify's own parser (prototype poisoning refused); it calls `done` itself.
    void parseJson(request, body.toString('utf8'), done);
  });
  app.useBodyParser<Server>('application/x-www-form-urlencoded', { bodyLimit }, (_request, body, done) => {
    done(null, parseForm(body.toString('utf8')));
  });
}

/**
 * Listens on PORT and, when ADMIN_PORT is set, on ADMIN_PORT for the operator endpoints; main.ts and the
 * end-to-end tests both start the app with it.
 */
export async function listenApp(
  app: NestFastifyApplication,
  options: { port: number; host: string; backlog?: number },
): Promise<void> {
  await app.listen(options);
  await listenOperatorPort(app.getHttpAdapter().getInstance(), options.host);
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
  const fastify = app.getHttpAdapter().getInstance();
  app.useLogger(app.get(NestJsonLogger));
  // First of all hooks, so that whatever the later ones log carries the request's ids.
  attachRequestContext(fastify);
  attachAccessLog(fastify, app.get<PinoInstance>(APP_LOGGER));
  registerBodyParsers(app, vapiConfig().bodyLimitBytes);
  if (config.adminPort !== undefined) {
    separateOperatorPort(fastify, config.adminPort, httpServerOptions(config)).setTimeout(
      config.http.idleTimeoutMs,
    );
  }
  app.get(WebhookMetrics).attach(fastify);
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true }));
  if (config.docsEnabled) {
    SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
      jsonDocumentUrl: 'docs-json',
      raw: ['json'],
    });
  }
}
