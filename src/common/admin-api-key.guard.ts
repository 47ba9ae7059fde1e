import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { appConfig, AppConfig } from '../config/app.config';

interface HeaderCarrier {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Protects operator endpoints with `ADMIN_API_KEY`, sent as `x-api-key` or `Authorization: Bearer`. No key
 * configured → nobody gets in. Keys are compared as SHA-256 digests with `timingSafeEqual`, so neither the
 * content nor the length of the key leaks through timing.
 */
@Injectable()
export class AdminApiKeyGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(appConfig.KEY) config: AppConfig) {
    this.expected = config.adminApiKey ? digest(config.adminApiKey) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const presented = presentedKey(context.switchToHttp().getRequest<HeaderCarrier>());
    if (!this.expected || presented === undefined || !timingSafeEqual(digest(presented), this.expected)) {
      throw new UnauthorizedException({ error: 'Unauthorized' });
    }
    return true;
  }
}

function presentedKey(request: HeaderCarrier): string | undefined {
  const apiKey = single(request.headers['x-api-key']);
  if (apiKey) return apiKey;
  const match = /^Bearer\s+(.+)$/i.exec(single(request.headers.authorization) ?? '');
  return match?.[1].trim();
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
