import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { LogThrottle } from '../common/log-throttle';
import { vapiConfig, VapiConfig } from './vapi.config';
import { checkVapiRequest } from './vapi-signature.verifier';

/**
 * Checks every webhook request against the configured modes over the raw body bytes as received. A failure
 * answers 401 without saying which check failed, before any pipe, interceptor or handler runs (counted as
 * `outcome="rejected"` by the webhook metrics). The log says why, per mode (`hmac: stale-timestamp`, …), at
 * most once a minute per reason, and never carries a header value.
 */
@Injectable()
export class VapiSignatureGuard implements CanActivate {
  private readonly logger = new Logger(VapiSignatureGuard.name);
  private readonly rejections = new LogThrottle();

  constructor(@Inject(vapiConfig.KEY) private readonly config: VapiConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest & { rawBody?: Buffer }>();
    const rawBody = request.rawBody ?? Buffer.alloc(0);
    const verdict = checkVapiRequest(this.config, request.headers, rawBody, Date.now());
    if (verdict.valid) return true;
    const reason = Object.entries(verdict.reasons)
      .map(([mode, why]) => `${mode}: ${why}`)
      .join(', ');
    const admitted = this.rejections.admit(reason);
    if (admitted) {
      this.logger.warn(
        { event: 'webhook_rejected', reason, bytes: rawBody.length, heldBack: admitted.heldBack },
        `webhook signature check failed (${reason})`,
      );
    }
    throw new UnauthorizedException({ error: 'unauthorized' });
  }
}
