import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { vapiConfig, VapiConfig } from './vapi.config';
import { verifyVapiRequest } from './vapi-signature.verifier';

/**
 * Checks every webhook request against the configured modes over the raw body bytes as received. A failure
 * answers 401 without saying which check failed, before any pipe, interceptor or handler runs (counted as
 * `outcome="rejected"` by the webhook metrics).
 */
@Injectable()
export class VapiSignatureGuard implements CanActivate {
  private readonly logger = new Logger(VapiSignatureGuard.name);

  constructor(@Inject(vapiConfig.KEY) private readonly config: VapiConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest & { rawBody?: Buffer }>();
    const rawBody = request.rawBody ?? Buffer.alloc(0);
    if (verifyVapiRequest(this.config, request.headers, rawBody, Date.now())) return true;
    this.logger.warn({ event: 'webhook_rejected', bytes: rawBody.length }, 'webhook signature check failed');
    throw new UnauthorizedException({ error: 'unauthorized' });
  }
}
