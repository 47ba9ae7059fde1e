/**
 * The NestJS floor for the webhook benchmark: the smallest NestJS 11 + Fastify app with `rawBody`, one
 * controller doing the same signature check over the raw bytes as our webhook, answering `{}` to a
 * `status-update`. No logger, no interceptors, no validation pipe: what the framework costs by itself.
 */
import 'reflect-metadata';
import { Controller, HttpCode, Module, Post, Req, UnauthorizedException } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { FLOOR_BODY_LIMIT_BYTES, validVapiSignature } from './floor-signature';

const secret = process.env.VAPI_WEBHOOK_SECRET ?? '';

@Controller('vapi')
class FloorWebhookController {
  @Post('webhook')
  @HttpCode(200)
  receive(@Req() request: RawBodyRequest<FastifyRequest>): Record<string, never> {
    if (!request.rawBody || !validVapiSignature(secret, request.headers, request.rawBody))
      throw new UnauthorizedException();
    return {};
  }
}

@Module({ controllers: [FloorWebhookController] })
class FloorModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(
    FloorModule,
    new FastifyAdapter({ bodyLimit: FLOOR_BODY_LIMIT_BYTES }),
    { rawBody: true, logger: false },
  );
  await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1', backlog: 4096 });
  process.on('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
}

void main();
