import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Counter, Registry } from 'prom-client';
import { InjectMetricsRegistry } from '../metrics/metrics.tokens';
import { vapiConfig, VapiConfig } from './vapi.config';
import { verifyVapiRequest } from './vapi-signature.verifier';

/**
 * Checks every webhook request against the configured modes over the raw body bytes as received. A failure
 * answers 401 without saying which check failed, before any pipe, interceptor or handler runs.
 */
@Injectable()
export class VapiSignatureGuard implements CanActivate {
  private readonly logger = new Logger(VapiSignatureGuard.name);
  private readonly rejected: Counter;

  constructor(
    @Inject(vapiConfig.KEY) private readonly config: VapiConfig,
    @InjectMetricsRegistry() registry: Registry,
  ) {
    this.rejected =
      (registry.getSingleMetric('vapi_webhook_rejected_total') as Counter | undefined) ??
      new Counter({
        name: 'vapi_webhook_rejected_total',
        help: 'Webhook requests refused by the signature guard',
        registers: [registry],
      });
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest & { rawBody?: Buffer }>();
    const rawBody = request.rawBody ?? Buffer.alloc(0);
    if (verifyVapiRequest(this.config, request.headers, rawBody, Date.now())) return true;
    this.rejected.inc();
    this.logger.warn({ event: 'webhook_rejected', bytes: rawBody.length }, 'webhook signature check failed');
    throw new UnauthorizedException({ error: 'unauthorized' });
  }
}
